import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def get(path, **params):
    return Client().get(path, params)


def test_filters_by_goal_and_swedish_partner_return_umea_kherson_only():
    response = get("/api/v1/partnerships", sdg=16, swedish_partner="2480")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [p["slug"] for p in body["results"]] == ["umea-kherson"]


def test_lists_every_published_partnership_with_totals_in_a_stable_order():
    body = get("/api/v1/partnerships", page_size=4).json()
    assert body["count"] == 6 and body["pages"] == 2 and body["next"]
    second = Client().get(body["next"].split("testserver")[1]).json()
    slugs = [p["slug"] for p in body["results"] + second["results"]]
    assert len(set(slugs)) == 6
    assert second["previous"] and second["next"] is None


def test_unpublished_partnerships_never_appear(django_assert_max_num_queries):
    Partnership.objects.filter(slug="umea-kherson").update(publication="withdrawn")
    get("/api/v1/partnerships")  # the public index is read once per data version
    with django_assert_max_num_queries(5):
        body = get("/api/v1/partnerships").json()
    assert "umea-kherson" not in [p["slug"] for p in body["results"]]
    assert get("/api/v1/partnerships/umea-kherson").status_code == 404


def test_private_fields_are_left_out():
    Partnership.objects.filter(slug="umea-kherson").update(
        private_fields=["description", "partner"]
    )
    assert get("/api/v1/partnerships/umea-kherson").status_code == 404  # it names Kherson
    pk = Partnership.objects.get(slug="umea-kherson").pk
    body = get(f"/api/v1/partnerships/umea-partnership-{pk}").json()
    assert "description" not in body and "partner" not in body
    assert body["summary"] and "Kherson" not in str(body) and "Херсон" not in str(body)


def test_language_comes_from_lang_or_accept_language():
    swedish = get("/api/v1/partnerships/umea-kherson", lang="uk").json()
    assert swedish["language"] == "uk" and swedish["partner"]["name"] == "Херсон"
    english = Client().get("/api/v1/partnerships/umea-kherson", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["language"] == "en"
    assert english["Content-Language"] == "en"


def test_bad_parameters_get_a_translated_problem_document():
    response = get("/api/v1/partnerships", sdg=99, lang="sv")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Ogiltig begäran"
    assert problem["errors"][0]["location"].startswith("query")


def test_missing_things_are_404_problems():
    response = get("/api/v1/partnerships/no-such-thing")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_etag_and_conditional_get_answer_304():
    first = get("/api/v1/networks")
    tag = first["ETag"]
    again = Client().get("/api/v1/networks", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag and not again.content


def test_rate_limit_answers_429_with_retry_after(settings):
    settings.API_RATE_LIMIT = "3/min"
    client = Client()
    statuses = [client.get("/api/v1/goals").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/goals")
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["status"] == 429


def test_municipality_search_finds_any_spelling():
    body = get("/api/v1/municipalities", q="Cherson").json()
    assert body["results"][0]["code"].startswith("UA")
    assert get("/api/v1/municipalities/2480").json()["name"] == "Umeå"


def test_municipalities_without_query_are_paged_by_country():
    body = get("/api/v1/municipalities", country="SE", page_size=100).json()
    assert body["count"] == 290 + 21 and len(body["results"]) == 100  # kommuner and regions


def test_vocabularies():
    assert [g["number"] for g in get("/api/v1/goals").json()] == list(range(1, 18))
    areas = {a["slug"]: a["dac_sector"] for a in get("/api/v1/areas").json()}
    assert areas["education"] == "11110"
    network = get("/api/v1/networks/democratic-resilience", lang="en").json()
    assert network["partnerships"] == 6 and network["name"] == "Democratic resilience"


def test_openapi_is_3_1_and_documents_errors():
    schema = get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    operation = schema["paths"]["/api/v1/partnerships"]["get"]
    assert {"200", "304", "404", "422", "429", "500"} <= set(operation["responses"])
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "q",
        "country",
        "swedish_partner",
        "partner",
        "area",
        "sdg",
        "tag",
        "network",
        "phase",
        "status",
        "year",
        "page",
        "sort",
        "lang",
    } <= names


def test_every_operation_declares_its_permission():
    from partnernet.accounts.permissions import declared_permission
    from partnernet.api.api import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                assert declared_permission(operation.view_func), operation.view_func.__name__


def test_municipality_list_uses_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert get("/api/v1/municipalities", country="UA", page=3).status_code == 200


def test_a_private_period_hides_both_dates():
    Partnership.objects.filter(slug="umea-kherson").update(private_fields=["start_date"])
    body = get("/api/v1/partnerships/umea-kherson").json()
    assert "start_date" not in body and "end_date" not in body
