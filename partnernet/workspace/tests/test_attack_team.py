"""Attacks on the team: another partnership's member under this address, a member who may
not manage the team, a coordinator changing the other side, a missing member for staff."""

import pytest
from django.urls import reverse

from partnernet.partnerships.models import Partnership
from partnernet.workspace.models import TeamMember

from .conftest import OWN, client_of

pytestmark = pytest.mark.django_db
OTHER = "umea-kherson"


def named(slug: str, side: str = "swedish", **fields) -> TeamMember:
    values = {"team_role": "civil_servant", "name": "Named Person"} | fields
    return TeamMember.objects.create(
        partnership=Partnership.objects.get(slug=slug), side=side, **values
    )


def remove_url(member: TeamMember, slug: str = OWN) -> str:
    return reverse("workspace:team_remove", kwargs={"slug": slug, "pk": member.pk})


@pytest.mark.parametrize(
    "email", ["officer@icld.example", "falun@demo.example", "kolomyia@demo.example"]
)
def test_a_missing_or_foreign_member_is_404_for_everyone_who_manages(email):
    theirs = named(OTHER)
    client = client_of(email)
    assert client.get(remove_url(theirs)).status_code == 404
    assert client.post(remove_url(theirs)).status_code == 404
    missing = f"/sv/partnerships/{OWN}/work/team/987654321/remove/"
    assert client.get(missing).status_code == 404
    assert client.post(missing).status_code == 404
    assert TeamMember.objects.filter(pk=theirs.pk).exists()


def test_a_project_member_may_not_remove_anyone_not_even_the_coordinator():
    coordinator = named(OWN, team_role="coordinator", name="The Coordinator")
    member = client_of("member@demo.example")
    assert member.post(remove_url(coordinator)).status_code == 403
    assert (
        member.post(
            reverse("workspace:team_invite", kwargs={"slug": OWN}),
            {"side": "swedish", "team_role": "civil_servant", "name": "X", "email": "x@x.example"},
        ).status_code
        == 403
    )
    assert TeamMember.objects.filter(pk=coordinator.pk).exists()


def test_a_coordinator_changes_only_their_own_side():
    partner_side = named(OWN, side="partner", name="Partner Side")
    falun = client_of("falun@demo.example")
    assert falun.post(remove_url(partner_side)).status_code == 400
    assert TeamMember.objects.filter(pk=partner_side.pk).exists()
    before = TeamMember.objects.count()
    response = falun.post(
        reverse("workspace:team_invite", kwargs={"slug": OWN}),
        {"side": "partner", "team_role": "civil_servant", "name": "Other side"},
    )
    assert response.status_code == 400
    assert TeamMember.objects.count() == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 5000, "\x00null", "名前\u202eevil"])
def test_odd_names_are_refused_or_kept_never_a_500(name):
    falun = client_of("falun@demo.example")
    response = falun.post(
        reverse("workspace:team_invite", kwargs={"slug": OWN}),
        {"side": "swedish", "team_role": "civil_servant", "name": name, "position": "p" * 5000},
    )
    assert response.status_code in (302, 400)
