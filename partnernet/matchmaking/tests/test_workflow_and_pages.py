import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partnernet.accounts.models import Organisation, Role, RoleAssignment, User
from partnernet.accounts.testing import sign_in
from partnernet.audit.models import AuditEntry
from partnernet.matchmaking import matches, services
from partnernet.matchmaking.models import LetterOfIntent, MatchProposal, QueueEntry
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import Network

pytestmark = pytest.mark.django_db
IRPIN, SIGTUNA = "UA32080150000035443", "0191"


def person(email: str, role: str, organisation: Organisation) -> User:
    user = User.objects.create_user(email, "a-long-password-1")
    RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
    return user


def municipality_org(code: str) -> Organisation:
    municipality = Municipality.objects.get(code=code)
    return Organisation.objects.get_or_create(
        municipality=municipality, defaults={"name": municipality.name, "kind": "municipality"}
    )[0]


@pytest.fixture
def network():
    return Network.objects.get(slug="democratic-resilience")


@pytest.fixture
def officer():
    funder = Organisation.objects.get_or_create(name="ICLD test", kind="funder")[0]
    return person("officer@example.org", Role.PROGRAMME_OFFICER, funder)


@pytest.fixture
def irpin_coordinator():
    return person("irpin@example.org", Role.MUNICIPAL_COORDINATOR, municipality_org(IRPIN))


@pytest.fixture
def sigtuna_coordinator():
    return person("sigtuna@example.org", Role.MUNICIPAL_COORDINATOR, municipality_org(SIGTUNA))


def test_propose_accept_and_confirm_moves_both_through_the_queue(
    network, officer, irpin_coordinator, sigtuna_coordinator, django_capture_on_commit_callbacks
):
    irpin, sigtuna = Municipality.objects.get(code=IRPIN), Municipality.objects.get(code=SIGTUNA)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = matches.match_propose(
            network=network,
            swedish_partner=sigtuna,
            partner=irpin,
            actor=officer,
            note="Both work on water",
        )
    assert {m.to[0] for m in mail.outbox} == {"irpin@example.org", "sigtuna@example.org"}
    matches.match_respond(
        proposal=proposal, side="swedish", accept=True, reason="", actor=sigtuna_coordinator
    )
    proposal = matches.match_respond(
        proposal=proposal, side="partner", accept=True, reason="", actor=irpin_coordinator
    )
    assert proposal.status == MatchProposal.Status.ACCEPTED
    assert set(
        QueueEntry.objects.filter(municipality__in=[irpin, sigtuna]).values_list("stage", flat=True)
    ) == {"matched"}
    letter = LetterOfIntent.objects.get(proposal=proposal)
    assert letter.status == "draft"
    matches.letter_confirm(letter=letter, side="swedish", actor=sigtuna_coordinator)
    letter = matches.letter_confirm(letter=letter, side="partner", actor=irpin_coordinator)
    assert (
        letter.status == "confirmed" and letter.swedish_confirmed_at and letter.partner_confirmed_at
    )
    assert set(
        QueueEntry.objects.filter(municipality__in=[irpin, sigtuna]).values_list("stage", flat=True)
    ) == {"letter_of_intent"}
    assert (
        AuditEntry.objects.filter(
            object_type="matchmaking.letterofintent", object_id=str(letter.pk), action="confirm"
        ).count()
        == 2
    )


def test_declining_needs_a_reason_and_already_partners_cannot_be_proposed(network, officer):
    irpin, sigtuna = Municipality.objects.get(code=IRPIN), Municipality.objects.get(code=SIGTUNA)
    proposal = matches.match_propose(
        network=network, swedish_partner=sigtuna, partner=irpin, actor=officer, note=""
    )
    with pytest.raises(ValidationError) as declined:
        matches.match_respond(
            proposal=proposal, side="partner", accept=False, reason="", actor=officer
        )
    assert declined.value.code == "reason_required"
    matches.match_respond(
        proposal=proposal,
        side="partner",
        accept=False,
        reason="We need a partner in water",
        actor=officer,
    )
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    falun, kolomyia = (
        Municipality.objects.get(code="2080"),
        Municipality.objects.get(code="UA26080070000092582"),
    )
    with pytest.raises(ValidationError) as refused:
        matches.match_propose(
            network=network, swedish_partner=falun, partner=kolomyia, actor=officer, note=""
        )
    assert refused.value.code == "constraint"


def test_the_public_sees_only_counts(client):
    page = client.get("/en/queue/democratic-resilience/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Municipalities waiting" in html
    assert "The whole queue" not in html and "Poltava" not in html


def test_an_officer_sees_the_whole_queue_and_suggestions(
    client, officer, django_assert_max_num_queries
):
    sign_in(client, officer)
    with django_assert_max_num_queries(15):
        html = client.get("/en/queue/democratic-resilience/").content.decode()
    assert "The whole queue" in html and "Poltava" in html and "example" in html
    html = client.get("/en/queue/democratic-resilience/suggestions/2080/").content.decode()
    assert "Kolomyia" in html and "already partners" in html
    assert "Falun offers waste management, which Kolomyia asks for" in html


def test_a_municipality_sees_its_place_history_and_every_move(
    client, network, officer, irpin_coordinator
):
    irpin = Municipality.objects.get(code=IRPIN)
    entry = services.queue_entry_join(
        municipality=irpin,
        network=network,
        actor=officer,
        reason="Registered at the network meeting",
    )
    services.queue_entry_reorder(
        entry=entry, position=1, actor=officer, reason="Urgent water needs"
    )
    client.force_login(irpin_coordinator)
    html = client.get("/en/queue/democratic-resilience/").content.decode()
    assert "Your municipality in the queue" in html and "place 1" in html
    html = client.get(f"/en/queue/democratic-resilience/entries/{entry.pk}/").content.decode()
    assert "Urgent water needs" in html and "Registered at the network meeting" in html
    assert "officer@example.org" in html
    other = QueueEntry.objects.get(municipality__code="2080")
    # Another municipality's entry is not theirs to see: as if it did not exist.
    assert client.get(f"/en/queue/democratic-resilience/entries/{other.pk}/").status_code == 404


def test_a_coordinator_edits_their_own_profile_but_not_anothers(client, network, irpin_coordinator):
    client.force_login(irpin_coordinator)
    url = f"/en/queue/democratic-resilience/profiles/{IRPIN}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "text": "Потрібна допомога з водопостачанням",
            "source_language": "uk",
            "capacity": "1",
            "contact_name": "Olena Secret",
        },
    )
    assert response.status_code == 302
    profile = irpin_coordinator.roles.get().organisation.municipality.interest_profiles.get()
    assert profile.side == "needs" and "water" in profile.topics and profile.embedding
    assert client.get("/en/queue/democratic-resilience/profiles/2080/").status_code == 404
    client.logout()
    assert "Olena Secret" not in client.get("/en/queue/democratic-resilience/").content.decode()


def test_bad_input_gets_a_message_not_an_error(client, officer):
    sign_in(client, officer)
    entry = QueueEntry.objects.get(municipality__code="2080")
    response = client.post(
        f"/en/queue/democratic-resilience/entries/{entry.pk}/move/",
        {"stage": "matched", "reason": "back"},
        follow=True,
    )
    assert response.status_code == 200 and "cannot move" in response.content.decode()
    response = client.post(
        "/en/queue/democratic-resilience/propose/",
        {"swedish": "2080", "partner": "UA26080070000092582"},
        follow=True,
    )
    assert "already partners" in response.content.decode()
    assert client.get("/en/queue/no-such-network/").status_code == 404


def test_an_excluded_municipality_is_never_suggested_or_proposed(
    client, network, officer, irpin_coordinator
):
    from partnernet.matchmaking import candidates

    client.force_login(irpin_coordinator)
    url = f"/en/queue/democratic-resilience/profiles/{IRPIN}/"
    bad = client.post(
        url, {"text": "Water", "source_language": "en", "capacity": "1", "excluded": "0191, NOPE"}
    )
    assert bad.status_code == 200 and "NOPE" in bad.content.decode()
    client.post(
        url, {"text": "Water supply", "source_language": "en", "capacity": "1", "excluded": "0191"}
    )
    irpin, sigtuna = Municipality.objects.get(code=IRPIN), Municipality.objects.get(code=SIGTUNA)
    ranked = candidates.suggest(network=network, municipality=irpin, top=None)
    # every Swedish partner but the excluded one: 289 other kommuner and the 21 regions
    assert SIGTUNA not in [s.key for s in ranked] and len(ranked) == 289 + 21
    with pytest.raises(ValidationError) as refused:
        matches.match_propose(
            network=network, swedish_partner=sigtuna, partner=irpin, actor=officer, note=""
        )
    assert refused.value.code == "constraint"


def test_a_coordinator_cannot_answer_for_the_other_side_nor_twice(
    network, officer, irpin_coordinator, sigtuna_coordinator
):
    irpin, sigtuna = Municipality.objects.get(code=IRPIN), Municipality.objects.get(code=SIGTUNA)
    proposal = matches.match_propose(
        network=network, swedish_partner=sigtuna, partner=irpin, actor=officer, note=""
    )
    with pytest.raises(ValidationError) as other:
        matches.match_respond(
            proposal=proposal, side="swedish", accept=True, reason="", actor=irpin_coordinator
        )
    assert other.value.code == "other_side"
    matches.match_respond(
        proposal=proposal, side="partner", accept=True, reason="", actor=irpin_coordinator
    )
    with pytest.raises(ValidationError) as twice:
        matches.match_respond(
            proposal=proposal, side="partner", accept=False, reason="No", actor=irpin_coordinator
        )
    assert twice.value.code == "twice"
    proposal = matches.match_respond(
        proposal=proposal, side="swedish", accept=True, reason="", actor=sigtuna_coordinator
    )
    assert proposal.status == MatchProposal.Status.ACCEPTED
    letter = LetterOfIntent.objects.get(proposal=proposal)
    with pytest.raises(ValidationError) as other_letter:
        matches.letter_confirm(letter=letter, side="partner", actor=sigtuna_coordinator)
    assert other_letter.value.code == "other_side"
    matches.letter_confirm(letter=letter, side="swedish", actor=sigtuna_coordinator)
    with pytest.raises(ValidationError) as twice_letter:
        matches.letter_confirm(letter=letter, side="swedish", actor=sigtuna_coordinator)
    assert twice_letter.value.code == "twice"
    assert LetterOfIntent.objects.get(pk=letter.pk).status == "draft"


def test_coordinators_are_told_in_their_own_language(
    network, officer, irpin_coordinator, sigtuna_coordinator, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=irpin_coordinator.pk).update(preferred_language="uk")
    irpin, sigtuna = Municipality.objects.get(code=IRPIN), Municipality.objects.get(code=SIGTUNA)
    with django_capture_on_commit_callbacks(execute=True):
        matches.match_propose(
            network=network, swedish_partner=sigtuna, partner=irpin, actor=officer, note=""
        )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "irpin@example.org": "Запропоновано партнера",
        "sigtuna@example.org": "En partner har föreslagits",
    }
    assert "/uk/queue/proposals/" in next(
        m.body for m in mail.outbox if m.to == ["irpin@example.org"]
    )
