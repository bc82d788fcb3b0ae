"""The private contact person of an interest profile stays private, and the e-mails of the
queue and of proposals reach exactly the coordinators concerned, once each, in their
language, only after the commit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry
from partnernet.jobs.services import jobs_run_due
from partnernet.matchmaking import matches, services
from partnernet.matchmaking.models import LetterOfIntent, QueueEntry

from . import factories

pytestmark = pytest.mark.django_db
SECRETS = ("Olena Hiddenova", "olena.hidden@example.net", "+380 44 555 0199")


@pytest.fixture
def profiled():
    network, place = factories.network(), factories.municipality("UA", name="Privatne")
    profile = services.profile_save(
        municipality=place,
        network=network,
        actor=None,
        text="We need help with water supply",
        source_language="en",
        areas=[],
        contact_name=SECRETS[0],
        contact_email=SECRETS[1],
        contact_phone=SECRETS[2],
    )
    return network, place, profile


def _shows_no_secret(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html


def test_the_contact_is_stored_for_the_municipality(profiled):
    _network, _place, profile = profiled
    profile.refresh_from_db()
    assert (profile.contact_name, profile.contact_email, profile.contact_phone) == SECRETS


def test_no_public_page_names_the_contact(client, profiled):
    network, place, _profile = profiled
    for url in (
        f"/en/queue/{network.slug}/",
        f"/en/municipalities/{place.code}/",
        "/en/",
        "/en/partnerships/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _shows_no_secret(response.content.decode())


def test_other_coordinators_see_neither_the_contact_nor_the_profile(client, profiled):
    network, place, _profile = profiled
    stranger = factories.coordinator(factories.municipality("UA"))
    sign_in(client, stranger)
    _shows_no_secret(client.get(f"/en/queue/{network.slug}/").content.decode())
    assert client.get(f"/en/queue/{network.slug}/profiles/{place.code}/").status_code == 404
    entry = QueueEntry.objects.get(municipality=place, network=network)
    assert client.get(f"/en/queue/{network.slug}/entries/{entry.pk}/").status_code == 404


def test_the_own_coordinator_sees_the_contact_on_the_profile_form(client, profiled):
    network, place, _profile = profiled
    sign_in(client, factories.coordinator(place))
    html = client.get(f"/en/queue/{network.slug}/profiles/{place.code}/").content.decode()
    for secret in SECRETS:
        assert secret in html


def test_no_audit_snapshot_holds_the_contact(profiled):
    network, place, profile = profiled
    # An update that changes only the contact is audited without it.
    services.profile_save(
        municipality=place,
        network=network,
        actor=None,
        text="We need help with water supply",
        source_language="en",
        areas=[],
        contact_name="Another Hiddenperson",
        contact_email="another.hidden@example.net",
    )
    entries = AuditEntry.objects.filter(
        object_type="matchmaking.interestprofile", object_id=str(profile.pk)
    )
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    for entry in entries:
        text = f"{entry.before} {entry.after} {entry.reason} {entry.object_label}"
        for secret in (*SECRETS, "Another Hiddenperson", "another.hidden@example.net"):
            assert secret not in text
    update = entries.get(action="update")
    assert update.after["text"] == "We need help with water supply"
    assert "contact_name" not in update.after and "contact_email" not in update.after


def test_the_history_page_of_a_profile_is_for_officers_only_and_names_no_contact(client, profiled):
    _network, _place, profile = profiled
    url = f"/audit/matchmaking.interestprofile/{profile.pk}/"
    sign_in(client, factories.coordinator(profile.municipality))
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, factories.officer())
    response = client.get(url)
    assert response.status_code == 200
    _shows_no_secret(response.content.decode())


# E-mail -----------------------------------------------------------------------------------


@pytest.fixture
def people():
    network, (se, ua) = factories.network(), factories.pair()
    return {
        "network": network,
        "se": se,
        "ua": ua,
        "ua_uk": factories.coordinator(ua, preferred_language="uk"),
        "ua_en": factories.coordinator(ua, preferred_language="en"),
        "ua_gone": factories.coordinator(ua, is_active=False),
        "se_sv": factories.coordinator(se, preferred_language="sv"),
        "elsewhere": factories.coordinator(factories.municipality("UA")),
    }


def _mails() -> dict[str, tuple[str, str]]:
    return {m.to[0]: (m.subject, m.body) for m in mail.outbox}


def test_a_move_tells_each_active_coordinator_once_in_their_language(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_entry_move(
            municipality=people["ua"],
            network=people["network"],
            stage="withdrawn",
            actor=None,
            reason="No capacity this year",
        )
    sent = _mails()
    assert len(mail.outbox) == 2
    assert set(sent) == {people["ua_uk"].email, people["ua_en"].email}
    assert sent[people["ua_uk"].email][0] == "Ваше місце в черзі змінилося"
    subject, body = sent[people["ua_en"].email]
    assert subject == "Your place in the queue has changed"
    assert body.startswith(f"{people['ua'].name} is now at stage “withdrawn”.")
    assert "Reason: No capacity this year" in body


def test_a_reorder_mail_gives_both_places(people, django_capture_on_commit_callbacks):
    network = people["network"]
    first = services.queue_entry_join(
        municipality=factories.municipality("UA"), network=network, actor=None, reason="r"
    )
    entry = services.queue_entry_join(
        municipality=people["ua"], network=network, actor=None, reason="r"
    )
    assert first.position == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_entry_reorder(entry=entry, position=1, actor=None, reason="Urgent")
    body = _mails()[people["ua_en"].email][1]
    assert f"{people['ua'].name} moved from place 2 to place 1. Reason: Urgent" in body
    assert len(mail.outbox) == 2


def test_nothing_is_sent_before_the_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.queue_entry_move(
            municipality=people["ua"],
            network=people["network"],
            stage="matched",
            actor=None,
            reason="r",
        )
    assert mail.outbox == [] and callbacks  # one job per e-mail, run after the commit


def test_a_decline_tells_both_sides_with_the_reason(people, django_capture_on_commit_callbacks):
    proposal = matches.match_propose(
        network=people["network"],
        swedish_partner=people["se"],
        partner=people["ua"],
        actor=None,
        note="",
    )
    jobs_run_due(now=timezone.now())  # the proposal's e-mails, sent at its commit
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        matches.match_respond(
            proposal=proposal, side="swedish", accept=False, reason="Too far", actor=None
        )
    sent = _mails()
    assert set(sent) == {people["ua_uk"].email, people["ua_en"].email, people["se_sv"].email}
    assert sent[people["se_sv"].email][0] == "Ett matchningsförslag avböjdes"
    assert sent[people["ua_uk"].email][0] == "Запропоновану пару відхилено"
    english = sent[people["ua_en"].email][1]
    assert f"{people['se'].name} – {people['ua'].name} was declined: Too far" in english
    assert f"/en/queue/proposals/{proposal.pk}/" in english


def test_both_acceptances_tell_each_side_its_new_stage(people, django_capture_on_commit_callbacks):
    proposal = matches.match_propose(
        network=people["network"],
        swedish_partner=people["se"],
        partner=people["ua"],
        actor=None,
        note="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        matches.match_respond(proposal=proposal, side="swedish", accept=True, reason="", actor=None)
    assert mail.outbox == []  # one acceptance changes nobody's place
    with django_capture_on_commit_callbacks(execute=True):
        matches.match_respond(proposal=proposal, side="partner", accept=True, reason="", actor=None)
    sent: dict[str, list[tuple[str, str]]] = {}
    for message in mail.outbox:
        sent.setdefault(message.to[0], []).append((message.subject, message.body))
    assert set(sent) == {people["ua_uk"].email, people["ua_en"].email, people["se_sv"].email}
    assert "Er plats i kön har ändrats" in [subject for subject, _ in sent[people["se_sv"].email]]
    assert any("is now at stage “matched”" in body for _, body in sent[people["ua_en"].email])
    # Each side is then asked to confirm the letter of intent, at its exact page.
    letter = LetterOfIntent.objects.get(proposal=proposal)
    asked = [body for _, body in sent[people["ua_uk"].email] if "лист про наміри" in body]
    assert len(asked) == 1 and f"/uk/queue/letters/{letter.pk}/" in asked[0]


def test_a_refused_answer_sends_nothing(people, django_capture_on_commit_callbacks):
    proposal = matches.match_propose(
        network=people["network"],
        swedish_partner=people["se"],
        partner=people["ua"],
        actor=None,
        note="",
    )
    services.queue_entry_move(
        municipality=people["ua"],
        network=people["network"],
        stage="granted",
        actor=None,
        reason="r",
    )
    matches.match_respond(proposal=proposal, side="swedish", accept=True, reason="", actor=None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        matches.match_respond(proposal=proposal, side="partner", accept=True, reason="", actor=None)
    assert mail.outbox == []
