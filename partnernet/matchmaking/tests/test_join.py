"""A municipality joins a network by itself (`/join/`): refusals first (unknown municipality,
bad input, taken municipalities, dead links, undecided declines, people who may not verify,
the rate limit), then no public trace before verification, then the whole way through."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.accounts.testing import sign_in
from partnernet.jobs.services import jobs_run_due
from partnernet.matchmaking import joining
from partnernet.matchmaking.models import InterestProfile, JoinAttempt, JoinRequest, QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea

from . import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a-very-long-password-for-joining"
TEXT = "Потрібна допомога з водопостачанням Zyxwqv"  # a word found nowhere else


@pytest.fixture
def place():
    return factories.municipality("UA", name="Приєднане")


@pytest.fixture
def network():
    return factories.network()


def _form(network, place, **changes) -> dict:
    area = CooperationArea.objects.get(slug="education")
    data = {
        "network": network.slug,
        "municipality": place.code,
        "full_name": "Оксана Приклад",
        "email": "oksana@hromada.example",
        "areas": [area.pk],
        "text": TEXT,
        "capacity": "1",
    }
    return {**data, **changes}


def _start(network, place, **changes) -> JoinRequest:
    return joining.join_request_start(
        municipality=place,
        network=network,
        email=changes.get("email", "oksana@hromada.example"),
        full_name="Оксана Приклад",
        language=changes.get("language", "uk"),
        areas=list(CooperationArea.objects.filter(slug="education")),
        text=TEXT,
        at=changes.get("at"),
    )


def _confirmed(network, place, **changes) -> JoinRequest:
    join_request = _start(network, place, **changes)
    return joining.join_request_confirm(join_request=join_request, password=PASSWORD)


def _key(message) -> str:
    """The one-time key in a confirmation e-mail."""
    marker = "/join/confirm/"
    start = message.body.index(marker) + len(marker)
    return message.body[start:].split("/", 1)[0]


# Refusals ----------------------------------------------------------------------------------


def test_an_unknown_municipality_is_refused_with_a_message(client, network, place):
    response = client.post("/en/join/", _form(network, place, municipality="NOPE123"))
    assert response.status_code == 400
    assert "There is no municipality with the code “NOPE123”" in response.content.decode()
    assert not JoinRequest.objects.exists()
    response = client.get(f"/en/join/?network={network.slug}&municipality=NOPE123")
    assert response.status_code == 404
    assert "There is no municipality with the code “NOPE123”" in response.content.decode()


def test_an_unknown_network_is_not_found(client):
    assert client.get("/en/join/?network=no-such-network").status_code == 404


@pytest.mark.parametrize("email", ["not-an-address", "oksana@", ""])
def test_a_bad_email_address_is_refused(client, network, place, email):
    response = client.post("/en/join/", _form(network, place, email=email))
    assert response.status_code == 400
    assert not JoinRequest.objects.exists() and not User.objects.filter(email=email).exists()
    html = response.content.decode()
    assert "Enter a valid email address." in html or "This field is required." in html


def test_no_area_and_no_text_are_refused(client, network, place):
    response = client.post("/en/join/", _form(network, place, areas=[], text="  "))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose at least one cooperation area." in html
    assert "This field is required." in html
    assert not JoinRequest.objects.exists()


def test_a_municipality_already_in_the_queue_is_told_so(client, network, place):
    QueueEntry.objects.create(municipality=place, network=network)
    page = client.get(f"/en/join/?network={network.slug}&municipality={place.code}")
    assert "is already in the queue of the network" in page.content.decode()
    assert 'name="full_name"' not in page.content.decode()  # no form to fill in for nothing
    response = client.post("/en/join/", _form(network, place))
    assert response.status_code == 400
    assert "is already in the queue of the network" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_a_municipality_with_a_coordinator_is_told_so(client, network, place):
    factories.coordinator(place)
    response = client.post("/uk/join/", _form(network, place))
    assert response.status_code == 400
    assert "вже має координатора" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_a_pending_request_is_no_refusal_nor_a_public_trace_and_the_second_verify_fails(
    client, network, place
):
    _start(network, place, email="first@hromada.example")  # never confirmed
    first = _confirmed(network, place, email="second@hromada.example")
    response = client.post("/en/join/", _form(network, place, email="third@hromada.example"))
    assert response.status_code == 302  # saying "someone asked" would make the request public
    second = JoinRequest.objects.get(user__email="third@hromada.example")
    joining.join_request_confirm(join_request=second, password=PASSWORD)
    officer = factories.officer()
    sign_in(client, officer)
    page = client.get(f"/en/queue/{network.slug}/joins/{first.pk}/").content.decode()
    assert "Other requests for the same municipality" in page and "third@hromada.example" in page
    joining.join_request_verify(join_request=first, actor=officer)
    response = client.post(f"/en/queue/{network.slug}/joins/{second.pk}/", {"decision": "verify"})
    assert response.status_code == 400
    assert "is already in the queue of the network" in response.content.decode()
    assert QueueEntry.objects.filter(municipality=place).count() == 1
    second.refresh_from_db()
    assert second.status == JoinRequest.Status.AWAITING
    assert not second.user.roles.exists()


def test_an_unknown_link_is_not_found(client):
    assert client.get("/en/join/confirm/no-such-key/").status_code == 404
    assert client.post("/en/join/confirm/no-such-key/", {}).status_code == 404
    assert client.get(f"/en/join/confirm/{'x' * 300}/").status_code == 404


def test_expired_and_used_links_answer_404(
    client, network, place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _start(network, place, at=timezone.now() - timedelta(hours=49))
    expired = _key(mail.outbox[-1])
    response = client.get(f"/uk/join/confirm/{expired}/")
    assert response.status_code == 404
    assert "Це посилання більше не працює" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _start(network, factories.municipality("UA"), email="other@hromada.example")
    fresh = _key(mail.outbox[-1])
    assert client.get(f"/en/join/confirm/{fresh}/").status_code == 200  # opening changes nothing
    data = {"password1": PASSWORD, "password2": PASSWORD}
    assert client.post(f"/en/join/confirm/{fresh}/", data).status_code == 200
    assert client.get(f"/en/join/confirm/{fresh}/").status_code == 404
    assert client.post(f"/en/join/confirm/{fresh}/", data).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(
    client, network, place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = _start(network, place)
    key = _key(mail.outbox[-1])
    response = client.post(f"/en/join/confirm/{key}/", {"password1": "short", "password2": "short"})
    assert response.status_code == 400
    response = client.post(
        f"/en/join/confirm/{key}/", {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.UNCONFIRMED
    assert not join_request.user.has_usable_password()


def test_declining_without_a_reason_is_refused(client, network, place):
    join_request = _confirmed(network, place)
    sign_in(client, factories.officer())
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    response = client.post(url, {"decision": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Please state a reason." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.AWAITING


def test_only_officers_verify(client, network, place):
    join_request = _confirmed(network, place)
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    assert client.post(url, {"decision": "verify"}).status_code == 302  # to the sign-in
    assert client.post(url, {"decision": "verify"})["Location"].startswith("/accounts/login/")
    # The person who asked, even once they coordinate another municipality, may not.
    other = factories.municipality("UA")
    sign_in(client, factories.coordinator(other))
    assert client.post(url, {"decision": "verify"}).status_code == 403
    assert client.get(url).status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.AWAITING
    assert not QueueEntry.objects.filter(municipality=place).exists()


def test_an_unknown_request_or_one_of_another_network_is_not_found(client, network, place):
    join_request = _confirmed(network, place)
    sign_in(client, factories.officer())
    other = factories.network()
    assert client.get(f"/en/queue/{network.slug}/joins/999999/").status_code == 404
    assert client.get(f"/en/queue/{other.slug}/joins/{join_request.pk}/").status_code == 404


def test_a_request_is_decided_once(client, network, place):
    join_request = _confirmed(network, place)
    officer = factories.officer()
    joining.join_request_decline(join_request=join_request, actor=officer, reason="Not a hromada")
    sign_in(client, officer)
    url = f"/en/queue/{network.slug}/joins/{join_request.pk}/"
    response = client.post(url, {"decision": "verify"})
    assert response.status_code == 400
    assert "This request has already been decided." in response.content.decode()
    assert not QueueEntry.objects.filter(municipality=place).exists()


def test_the_rate_limit_answers_429_in_the_readers_language(client, network, place):
    for _ in range(joining.JOIN_LIMIT):
        client.post("/uk/join/", _form(network, place, email="bad"))
    response = client.post("/uk/join/", _form(network, place))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Забагато запитів" in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert JoinAttempt.objects.count() == joining.JOIN_LIMIT  # the refused one is not counted


def test_the_rate_limit_is_per_address_and_window(network):
    now = timezone.now()
    for _ in range(joining.JOIN_LIMIT):
        assert joining.join_attempt_record(ip_address="203.0.113.7", at=now) is None
    until = joining.join_attempt_record(ip_address="203.0.113.7", at=now)
    assert until == now + joining.JOIN_WINDOW
    assert joining.join_attempt_record(ip_address="198.51.100.2", at=now) is None
    later = now + joining.JOIN_WINDOW + timedelta(seconds=1)
    assert joining.join_attempt_record(ip_address="203.0.113.7", at=later) is None


# No public trace before verification -----------------------------------------------------------


def test_an_unverified_request_is_not_public(client, network):
    place = (  # a real hromada of the registry, so the API knows its code
        Municipality.objects.filter(country_id="UA", queue_entries__isnull=True)
        .order_by("code")
        .first()
    )
    _confirmed(network, place)
    assert not QueueEntry.objects.filter(municipality=place).exists()
    assert not InterestProfile.objects.filter(municipality=place).exists()
    pages = [
        f"/en/queue/{network.slug}/",
        "/en/",
        "/en/partnerships/",
        f"/en/municipalities/{place.code}/",
        f"/api/v1/municipalities/{place.code}",
        "/api/v1/partnerships",
        "/open-data/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Zyxwqv" not in response.content.decode(), url
        assert "oksana@hromada.example" not in response.content.decode(), url
    assert client.get(f"/en/queue/{network.slug}/").context["counts"] == {}
    assert place.name not in client.get(f"/en/queue/{network.slug}/").content.decode()
    sign_in(client, factories.coordinator(factories.municipality("UA")))
    assert place.name not in client.get(f"/en/queue/{network.slug}/").content.decode()


# The whole way -------------------------------------------------------------------------------


def test_the_picker_forgives_spelling_with_and_without_script(client):
    for query in ("Cherson", "Херсон", "kherson"):
        page = client.get(f"/en/join/?q={query}").content.decode()
        assert "municipality=UA65100150000057191" in page, query
    fragment = client.get("/en/join/?q=Cherson", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="join-choices">') and "<html" not in fragment


def test_a_hromada_joins_in_ukrainian_and_an_officer_verifies_it(
    client, network, place, django_capture_on_commit_callbacks
):
    officer = factories.officer(preferred_language="en")
    page = client.get(f"/uk/join/?network={network.slug}&municipality={place.code}")
    assert page.status_code == 200 and "Приєднане" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/uk/join/", _form(network, place))
    assert response.status_code == 302 and "sent=1" in response["Location"]
    join_request = JoinRequest.objects.get(municipality=place)
    person = join_request.user
    assert person.preferred_language == "uk" and not person.has_usable_password()
    assert not person.roles.exists()  # no power before an officer verifies
    [confirmation] = mail.outbox
    assert confirmation.to == ["oksana@hromada.example"]
    assert "Підтвердьте" in confirmation.subject
    assert f"{settings.SITE_URL}/uk/join/confirm/{_key(confirmation)}/" in confirmation.body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/uk/join/confirm/{_key(confirmation)}/",
            {"password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 200
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.AWAITING
    officers_mail = [m for m in mail.outbox if officer.email in m.to]
    assert officers_mail and f"/en/queue/{network.slug}/joins/{join_request.pk}/" in (
        officers_mail[0].body
    )
    assert client.login(email=person.email, password=PASSWORD)
    client.logout()

    sign_in(client, officer)
    queue = client.get(f"/en/queue/{network.slug}/").content.decode()
    assert "Awaiting verification" in queue and "Приєднане" in queue
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/queue/{network.slug}/joins/{join_request.pk}/", {"decision": "verify"}
        )
    assert response.status_code == 302
    entry = QueueEntry.objects.get(municipality=place, network=network)
    assert entry.stage == "interested"
    profile = InterestProfile.objects.get(municipality=place, network=network)
    assert (profile.source_language, profile.text_uk, profile.side) == ("uk", TEXT, "needs")
    assert [a.slug for a in profile.areas.all()] == ["education"]
    assert RoleAssignment.objects.filter(
        user=person, role=Role.MUNICIPAL_COORDINATOR, organisation__municipality=place
    ).exists()
    [verified] = [m for m in mail.outbox if person.email in m.to]
    assert "черзі" in verified.subject
    assert f"{settings.SITE_URL}/uk/queue/{network.slug}/entries/{entry.pk}/" in verified.body
    queue = client.get(f"/en/queue/{network.slug}/").content.decode()
    assert "Awaiting verification" not in queue
    assert client.get(f"/en/queue/{network.slug}/").context["counts"] == {"UA": 1}


def test_a_declined_request_tells_the_person_why(
    client, network, place, django_capture_on_commit_callbacks
):
    join_request = _confirmed(network, place)
    jobs_run_due(now=timezone.now())  # the e-mails of the steps before, sent at their commits
    mail.outbox.clear()
    sign_in(client, factories.officer())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/queue/{network.slug}/joins/{join_request.pk}/",
            {"decision": "decline", "reason": "Не з цієї мережі"},
        )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.decline_reason == "Не з цієї мережі"
    [message] = [m for m in mail.outbox if "oksana@hromada.example" in m.to]
    assert "Не з цієї мережі" in message.body and "/uk/join/" in message.body
    assert not QueueEntry.objects.filter(municipality=place).exists()


def test_an_existing_account_keeps_its_password(
    client, network, place, django_capture_on_commit_callbacks
):
    person = User.objects.create_user("known@hromada.example", "an-existing-long-password")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/join/", _form(network, place, email="Known@Hromada.example"))
    key = _key(mail.outbox[-1])
    page = client.get(f"/en/join/confirm/{key}/").content.decode()
    assert "You already have an account" in page and "password1" not in page
    assert client.post(f"/en/join/confirm/{key}/", {}).status_code == 200
    person.refresh_from_db()
    assert person.check_password("an-existing-long-password")
    assert JoinRequest.objects.get(municipality=place).status == JoinRequest.Status.AWAITING
