"""The workspace's pages: who gets in (negative paths first), the team's invitations, the
activity plan's rules, its guarded steps and its stale edits, and the public face."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnernet.accounts.models import Role, RoleAssignment, User
from partnernet.grants.models import BudgetLine
from partnernet.partnerships.models import Partnership
from partnernet.workspace import services
from partnernet.workspace.models import Activity, ActivityStatus, TeamMember
from partnernet.workspace.selectors import granted_application

from .conftest import OWN, client_of

pytestmark = pytest.mark.django_db
OUTSIDERS = [
    "umea@demo.example",  # coordinator of another partnership
    "reviewer@icld.example",
    "finance@icld.example",
    "network@icld.example",
]


def activity(partnership, **fields) -> Activity:
    values = {"kind": "workshop", "title": "Workshop", "starts_on": timezone.localdate()}
    return Activity.objects.create(partnership=partnership, **(values | fields))


def urls(partnership) -> list[tuple[str, str]]:
    a = activity(partnership)
    m = TeamMember.objects.create(
        partnership=partnership, side="swedish", team_role="civil_servant", name="Named"
    )
    slug = partnership.slug
    with_pk = {"activity": a.pk, "activity_edit": a.pk, "activity_step": a.pk, "team_remove": m.pk}
    found = []
    for name in (
        "home",
        "team",
        "team_invite",
        "activities",
        "timeline",
        "activity_create",
        *with_pk,
    ):
        kwargs = {"slug": slug} | ({"pk": with_pk[name]} if name in with_pk else {})
        method = "post" if name in ("team_invite", "activity_step") else "get"
        found.append((method, reverse(f"workspace:{name}", kwargs=kwargs)))
    return found


# Who gets in ------------------------------------------------------------------------------------
@pytest.mark.parametrize("email", OUTSIDERS)
def test_an_outsider_gets_404_on_every_workspace_url(own, email):
    client = client_of(email)
    for method, url in urls(own):
        assert getattr(client, method)(url).status_code == 404, (email, url)


def test_the_public_is_asked_to_sign_in(own):
    for method, url in urls(own):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_partnership_that_does_not_exist_is_404(falun):
    assert falun.get("/sv/partnerships/no-such-pair/work/").status_code == 404


@pytest.mark.parametrize("name", ["activity", "activity_edit", "activity_step", "team_remove"])
def test_a_missing_key_is_404(falun, officer, own, name):
    url = reverse(f"workspace:{name}", kwargs={"slug": OWN, "pk": 999999})
    for client in (falun, officer):
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code == 404, url


def test_another_partnerships_activity_is_404_at_this_address(falun):
    other = Partnership.objects.get(slug="umea-kherson")
    a = activity(other)
    url = reverse("workspace:activity", kwargs={"slug": OWN, "pk": a.pk})
    assert falun.get(url).status_code == 404


def test_a_project_member_plans_activities_but_may_not_change_the_team(own, member):
    assert member.get(reverse("workspace:team", kwargs={"slug": OWN})).status_code == 200
    invite = member.post(
        reverse("workspace:team_invite", kwargs={"slug": OWN}),
        {"name": "X", "email": "x@example.org", "team_role": "civil_servant", "side": "swedish"},
    )
    assert invite.status_code == 403
    m = TeamMember.objects.filter(partnership=own).first()
    url = reverse("workspace:team_remove", kwargs={"slug": OWN, "pk": m.pk})
    assert member.post(url).status_code == 403
    assert TeamMember.objects.filter(pk=m.pk).exists()
    response = member.post(
        reverse("workspace:activity_create", kwargs={"slug": OWN}),
        {"kind": "workshop", "title": "Medborgardialog", "starts_on": "2027-03-01"},
    )
    assert response.status_code == 302
    assert Activity.objects.filter(partnership=own, title="Medborgardialog").exists()


def test_every_page_answers_the_team_and_officers(own, falun, kolomyia, member, officer):
    for client in (falun, kolomyia, member, officer):
        for method, url in urls(own):
            if method == "get" and not (client is member and "/remove/" in url):
                assert client.get(url).status_code == 200, url


# The activity plan's rules ------------------------------------------------------------------
def form_data(**overrides) -> dict:
    data = {
        "kind": "visit",
        "title": "Studiebesök i Kolomyja",
        "travelling_side": "swedish",
        "starts_on": "2027-04-10",
        "ends_on": "2027-04-13",
        "place": "Kolomyja",
    }
    return data | overrides


def test_a_visit_says_who_travels_and_ends_after_it_starts(falun, own):
    url = reverse("workspace:activity_create", kwargs={"slug": OWN})
    response = falun.post(url, form_data(travelling_side=""))
    assert response.status_code == 400
    assert "Say which side travels" in response.content.decode() or "vilken sida" in (
        response.content.decode()
    )
    response = falun.post(url, form_data(ends_on="2027-04-01"))
    assert response.status_code == 400 and "Studiebesök i Kolomyja" in response.content.decode()
    assert not Activity.objects.filter(title="Studiebesök i Kolomyja").exists()
    response = falun.post(url, form_data())
    assert response.status_code == 302
    created = Activity.objects.get(title="Studiebesök i Kolomyja")
    page = falun.get(response["Location"]).content.decode()
    assert "Studiebesök i Kolomyja" in page and "Falun" in page
    assert created.travelling_side == "swedish" and created.status == ActivityStatus.PLANNED


def test_the_visit_is_shown_as_who_visits_whom(falun, own):
    a = activity(own, kind="visit", travelling_side="swedish", title="Besök")
    page = Client()
    response = client_of("falun@demo.example").get(
        f"/en/partnerships/{OWN}/work/activities/{a.pk}/"
    )
    assert "Falun visits Kolomyia" in response.content.decode()
    assert page  # the public client is unused here


def test_an_activity_links_its_conversation_and_the_workspace_its_documents(member, own):
    a = activity(own)
    html = member.get(f"/en/partnerships/{OWN}/work/activities/{a.pk}/").content.decode()
    assert f'href="/en/partnerships/{OWN}/work/conversation/activity/{a.pk}/"' in html
    assert f'href="/en/partnerships/{OWN}/work/documents/"' in html
    assert f'href="/en/partnerships/{OWN}/work/conversation/"' in html


def test_a_participant_of_another_partnership_is_refused(falun, own):
    stranger = TeamMember.objects.create(
        partnership=Partnership.objects.get(slug="umea-kherson"),
        side="swedish",
        team_role="civil_servant",
        name="Stranger",
    )
    url = reverse("workspace:activity_create", kwargs={"slug": OWN})
    response = falun.post(f"/en{url[3:]}", form_data(participants=[stranger.pk]))
    assert response.status_code == 400
    assert "Only members of this partnership" in response.content.decode()
    assert not Activity.objects.filter(title="Studiebesök i Kolomyja").exists()


def test_a_budget_line_of_another_application_is_refused(falun, own):
    other = granted_application(Partnership.objects.get(slug="umea-kherson"))
    line = BudgetLine.objects.filter(application=other).first()
    assert line is not None
    url = reverse("workspace:activity_create", kwargs={"slug": OWN})
    response = falun.post(f"/en{url[3:]}", form_data(budget_line=line.pk))
    assert response.status_code == 400
    assert "granted budget" in response.content.decode()
    # The service refuses it too, whatever form calls it.
    with pytest.raises(services.ValidationError):
        services.activity_create(
            actor=None,
            partnership=own,
            facts=services.ActivityFacts(
                kind="workshop", title="W", starts_on=date(2027, 1, 1), budget_line=line
            ),
        )


def test_a_budget_line_of_the_granted_application_is_linked(falun, own):
    line = BudgetLine.objects.filter(application=granted_application(own)).first()
    url = reverse("workspace:activity_create", kwargs={"slug": OWN})
    response = falun.post(url, form_data(budget_line=line.pk, planned_cost="12000"))
    assert response.status_code == 302
    assert Activity.objects.get(title="Studiebesök i Kolomyja").budget_line == line


# Guarded steps --------------------------------------------------------------------------------
def step(client, a, name, **data):
    url = reverse("workspace:activity_step", kwargs={"slug": OWN, "pk": a.pk})
    fields = {"step": name} | {f"{name}-{key}": value for key, value in data.items()}
    return client.post(f"/en{url[3:]}", fields)


def test_done_needs_a_short_report_and_its_language(falun, own):
    a = activity(own)
    response = step(falun, a, "done", report="", report_language="sv", version=a.version)
    assert response.status_code == 400
    response = step(falun, a, "done", report="Bra möte.", report_language="", version=a.version)
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.status == ActivityStatus.PLANNED and a.sequence == 0
    response = step(
        falun, a, "done", report="Bra möte.", report_language="sv", is_public="on", version=0
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.report, a.report_language, a.is_public) == (
        ActivityStatus.DONE,
        "Bra möte.",
        "sv",
        True,
    )
    assert a.sequence == 1


def test_a_step_the_status_does_not_allow_is_refused_with_a_message(falun, own):
    a = activity(own, status=ActivityStatus.DONE, report="r", report_language="en")
    for name in ("cancel", "replan", "postpone"):
        response = step(falun, a, name, version=a.version, starts_on="2027-01-01")
        assert response.status_code == 400, name
        assert "not possible" in response.content.decode(), name
    a.refresh_from_db()
    assert a.status == ActivityStatus.DONE
    assert step(falun, a, "nonsense").status_code == 400


def test_postpone_to_new_dates_then_plan_again_then_cancel(falun, own):
    a = activity(own, starts_on=date(2027, 2, 1))
    assert (
        step(
            falun, a, "postpone", starts_on="2027-01-01", ends_on="2026-12-01", version=0
        ).status_code
        == 400
    )
    assert step(falun, a, "postpone", starts_on="2027-03-01", version=0).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.starts_on, a.sequence) == (ActivityStatus.POSTPONED, date(2027, 3, 1), 1)
    assert (
        step(falun, a, "done", report="x", report_language="sv", version=a.version).status_code
        == 400
    )
    assert step(falun, a, "replan", version=a.version).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.sequence) == (ActivityStatus.PLANNED, 2)
    assert step(falun, a, "cancel", version=a.version).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.sequence) == (ActivityStatus.CANCELLED, 3)
    assert step(falun, a, "replan", version=a.version).status_code == 400


def test_the_status_cannot_be_assigned_directly(own):
    a = activity(own)
    with pytest.raises(AttributeError):
        a.status = ActivityStatus.DONE


# Stale edits ------------------------------------------------------------------------------------
def test_a_stale_edit_is_refused_and_the_input_kept(falun, kolomyia, own):
    a = activity(own, title="Seminarium")
    url = reverse("workspace:activity_edit", kwargs={"slug": OWN, "pk": a.pk})
    read_at = a.version
    # Kolomyia's coordinator saves first.
    data = {"kind": "workshop", "title": "Семінар", "starts_on": a.starts_on.isoformat()}
    assert kolomyia.post(url, data | {"version": read_at}).status_code == 302
    # Falun's save from the older version is refused: nothing overwritten, its text kept.
    response = falun.post(f"/en{url[3:]}", data | {"title": "Min titel", "version": read_at})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this activity" in body and 'value="Min titel"' in body
    a.refresh_from_db()
    assert a.title == "Семінар" and a.version == read_at + 1 and a.sequence == 1
    assert "The activity as it is saved now" in body and "Семінар" in body
    # Saving again, having seen it, is a knowing overwrite.
    again = falun.post(url, data | {"title": "Min titel", "version": a.version})
    assert again.status_code == 302
    a.refresh_from_db()
    assert a.title == "Min titel"


def test_an_edit_that_changes_nothing_a_calendar_carries_keeps_the_sequence(falun, own):
    a = activity(own, title="Seminarium")
    url = reverse("workspace:activity_edit", kwargs={"slug": OWN, "pk": a.pk})
    data = {"kind": "workshop", "title": "Seminarium", "starts_on": a.starts_on.isoformat()}
    assert falun.post(url, data | {"purpose": "Nytt syfte", "version": 0}).status_code == 302
    a.refresh_from_db()
    assert (a.version, a.sequence, a.purpose) == (1, 0, "Nytt syfte")


# The team ---------------------------------------------------------------------------------------
def invite(client, **data):
    values = {
        "name": "Oksana Test",
        "email": "oksana@hromada.example",
        "team_role": "civil_servant",
        "side": "partner",
        "language": "uk",
    }
    return client.post(f"/en/partnerships/{OWN}/work/team/invite/", values | data)


def test_a_coordinator_invites_only_to_their_own_side(falun, own):
    response = invite(falun)  # Falun's coordinator, to Kolomyia's side
    assert response.status_code == 400
    assert not TeamMember.objects.filter(email="oksana@hromada.example").exists()


def test_an_invitation_of_a_new_person_sends_a_set_password_link_in_their_language(
    kolomyia, own, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(kolomyia)
    assert response.status_code == 302
    member = TeamMember.objects.get(email="oksana@hromada.example")
    user = User.objects.get(email="oksana@hromada.example")
    assert member.user == user and member.side == "partner" and user.preferred_language == "uk"
    assert RoleAssignment.objects.filter(
        user=user,
        role=Role.PROJECT_MEMBER,
        partnership=own,
        organisation__municipality=own.partner,
    ).exists()
    to = {message.to[0]: message for message in mail.outbox}
    assert "/accounts/password/set/" in to["oksana@hromada.example"].body or "password" in (
        to["oksana@hromada.example"].body
    )
    assert "falun@demo.example" in to  # the other side's coordinator is told
    # The new member reaches the workspace through the role.
    assert (
        client_of("oksana@hromada.example").get(f"/uk/partnerships/{OWN}/work/").status_code == 200
    )


def test_an_existing_account_is_linked_and_loses_the_role_when_removed(
    falun, own, django_capture_on_commit_callbacks
):
    person = User.objects.create_user(email="karin@falun.example", full_name="Karin")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            falun,
            name="Karin",
            email="Karin@Falun.example",
            side="swedish",
            team_role="steering_group_member",
            language="sv",
        )
    assert response.status_code == 302
    member = TeamMember.objects.get(email="karin@falun.example")
    assert member.user == person and member.joined_at is not None
    role = RoleAssignment.objects.filter(
        user=person, role=Role.STEERING_GROUP_MEMBER, partnership=own
    )
    assert role.exists()
    assert {m.to[0] for m in mail.outbox} >= {"karin@falun.example", "kolomyia@demo.example"}
    # Twice in the same role: refused.
    again = invite(
        falun,
        name="Karin",
        email="karin@falun.example",
        side="swedish",
        team_role="steering_group_member",
    )
    assert again.status_code == 400
    url = reverse("workspace:team_remove", kwargs={"slug": OWN, "pk": member.pk})
    assert falun.get(url).status_code == 200
    assert falun.post(url).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    assert not role.exists()
    assert client_of("karin@falun.example").get(f"/sv/partnerships/{OWN}/work/").status_code == 404


def test_a_coordinator_may_not_remove_the_other_sides_member(falun, own):
    other_side = TeamMember.objects.filter(partnership=own, side="partner").first()
    url = reverse("workspace:team_remove", kwargs={"slug": OWN, "pk": other_side.pk})
    assert falun.post(url).status_code == 400
    assert TeamMember.objects.filter(pk=other_side.pk).exists()


def test_the_team_page_says_what_is_missing(officer):
    # The demo leaves Chortkiv's team without its opposition politician.
    page = officer.get("/en/partnerships/karlskrona-chortkiv/work/team/").content.decode()
    assert "A politician of the opposition is missing." in page


# The start page ---------------------------------------------------------------------------------
def test_the_start_page_shows_next_and_missing(falun, own):
    activity(own, title="Överdue möte", starts_on=timezone.localdate() - timedelta(days=3))
    activity(own, title="Kommande", starts_on=timezone.localdate() + timedelta(days=3))
    page = falun.get(f"/sv/partnerships/{OWN}/work/").content.decode()
    assert "Kommande" in page and "Överdue möte" in page
    assert "Falun besöker Kolomyja" in page  # the demo's planned visit


# The public face ---------------------------------------------------------------------------------
def test_a_done_public_activity_shows_on_the_public_page(falun, own):
    a = activity(own, title="Skolrådsseminarium")
    public_url = f"/sv/partnerships/{OWN}/"
    assert "Skolrådsseminarium" not in Client().get(public_url).content.decode()
    step(falun, a, "done", report="Vi träffade 40 elever.", report_language="sv", version=0)
    page = Client().get(public_url).content.decode()
    assert "Skolrådsseminarium" not in page  # done, but not public
    a.refresh_from_db()
    Activity.objects.filter(pk=a.pk).update(is_public=True)
    page = Client().get(public_url).content.decode()
    assert "Skolrådsseminarium" in page and "Vi träffade 40 elever." in page


def test_an_unpublished_partnership_shows_nothing(own):
    activity(
        own,
        title="Hemligt",
        status=ActivityStatus.DONE,
        report="r",
        report_language="sv",
        is_public=True,
    )
    Partnership.objects.filter(pk=own.pk).update(publication="withdrawn")
    assert Client().get(f"/sv/partnerships/{OWN}/").status_code == 404


def test_a_stale_step_is_refused_and_the_report_kept(falun, own):
    a = activity(own)
    read_at = a.version
    services.activity_postpone(
        actor=None,
        activity=a,
        starts_on=a.starts_on + timedelta(days=7),
        ends_on=None,
        version=None,
    )
    services.activity_replan(actor=None, activity=a, version=None)
    response = step(falun, a, "done", report="Vår rapport", report_language="sv", version=read_at)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this activity" in body and "Vår rapport" in body
    a.refresh_from_db()
    assert a.status == ActivityStatus.PLANNED and a.report == ""
