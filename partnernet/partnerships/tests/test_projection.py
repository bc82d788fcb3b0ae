"""The public projection as a pure function: what each private field blanks (a hand-written
table), titles and addresses derived only from public fields, no query per row."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnernet.partnerships.models import PRIVATISABLE_FIELDS, Partnership
from partnernet.partnerships.projection import (
    private_address_pk,
    public_partnership,
    public_partnerships,
)
from partnernet.partnerships.selectors import partnership_public_list

pytestmark = pytest.mark.django_db

# field kept private → the public attributes that must read blank (written by hand)
BLANK = {
    "partner": {"partner": None},
    "summary": {"summary": "", "summary_sv": "", "summary_en": "", "summary_uk": ""},
    "description": {"description": "", "description_sv": "", "description_uk": ""},
    "tags": {},
    "start_date": {"start_date": None, "end_date": None},
    "end_date": {"end_date": None},
    "granted_amount": {"granted_amount": None},
}


def loaded(slug: str = "umea-kherson", **changes) -> Partnership:
    Partnership.objects.filter(slug=slug).update(**changes)
    return partnership_public_list().get(slug=slug)


def test_the_table_covers_every_privatisable_field():
    assert set(BLANK) == set(PRIVATISABLE_FIELDS)


@pytest.mark.parametrize("field", PRIVATISABLE_FIELDS)
def test_each_private_field_reads_blank_and_nothing_else_does(field, django_assert_num_queries):
    Partnership.objects.filter(slug="umea-kherson").update(
        granted_amount=1000, end_date="2027-01-01"
    )
    row = loaded(private_fields=[field])
    with django_assert_num_queries(0):
        public = public_partnership(row)
        tags = list(public.tags.all())
        transactions = list(public.transactions.all()) if field == "granted_amount" else None
    for attribute, blank in BLANK[field].items():
        assert getattr(public, attribute) == blank, attribute
    if field == "tags":
        assert tags == [] and list(row.tags.all())
    else:
        assert tags == list(row.tags.all())
    if field == "granted_amount":
        assert transactions == []
    untouched = {"phase", "status", "network_id", "area_id", "swedish_partner_id"}
    for attribute in untouched:
        assert getattr(public, attribute) == getattr(row, attribute)
    if field != "partner":
        assert public.partner == row.partner and public.slug == row.slug


def test_a_private_partner_is_taken_out_of_the_title_the_address_and_the_texts():
    row = loaded(private_fields=["partner"])
    public = public_partnership(row)
    assert public.title_en == "Umeå and a partner in Ukraine"
    assert public.slug == f"umea-partnership-{row.pk}"
    assert private_address_pk(public.slug) == row.pk
    assert public.get_absolute_url().endswith(f"/partnerships/umea-partnership-{row.pk}/")
    for lang in ("sv", "en", "uk"):
        text = getattr(public, f"summary_{lang}") + getattr(public, f"description_{lang}")
        assert "Kherson" not in text and "Херсон" not in text and "Cherson" not in text
    assert "Kherson" in row.description_en  # the stored text is untouched


def test_the_copy_is_never_saved_and_the_row_is_untouched():
    row = loaded(private_fields=["summary"])
    public = public_partnership(row)
    with pytest.raises(TypeError):
        public.save()
    assert row.summary_sv and not public.summary_sv
    assert public_partnership(public) is public


def test_unknown_names_in_the_private_list_hide_nothing_and_break_nothing():
    row = loaded(private_fields=["password", "", None, "partner__name"])
    public = public_partnership(row)
    assert public.partner == row.partner and public.summary_sv == row.summary_sv


def test_projecting_a_whole_list_adds_no_query(django_assert_num_queries):
    Partnership.objects.update(private_fields=["partner", "tags"])
    rows = list(partnership_public_list())
    with django_assert_num_queries(0):
        publics = public_partnerships(rows)
        [(p.title_uk, p.slug, list(p.tags.all()), p.partner_country.code) for p in publics]
    assert len(publics) == 6


def test_the_api_list_costs_the_same_queries_for_one_and_for_all_rows():
    client = Client()
    client.get("/api/v1/partnerships")  # the public index, once per data version
    counts = []
    for size in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/partnerships?page_size={size}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
