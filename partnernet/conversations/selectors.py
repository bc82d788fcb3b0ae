"""Reads of the conversation: the thread a person opens (through the permission layer), a page
of its messages, who takes part, unread counts, and the latest messages for the workspace."""

from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from partnernet.accounts.models import RoleAssignment, User
from partnernet.accounts.permissions import (
    POLICY,
    AccessRefused,
    Perm,
    Scope,
    may,
    partnership_target,
)
from partnernet.documents.models import Document
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.selectors import partnership_workspace_for_user

from .models import Message, ReadState, Thread

PAGE_SIZE = 30


def thread_of(*, partnership: Partnership, activity_id: int | None = None) -> Thread:
    """The thread (made on first use): the general one, or the activity's."""
    match = {"partnership": partnership, "activity_id": activity_id}
    thread = Thread.objects.filter(**match).first()
    if thread is None:
        try:
            with transaction.atomic():
                thread = Thread.objects.create(**match)
        except IntegrityError:  # made meanwhile by another request
            thread = Thread.objects.get(**match)
    thread.partnership = partnership
    return thread


def thread_for_user(
    *, user: User, slug: str, activity_pk: int | None = None, perm: Perm = Perm.WORKSPACE_VIEW
) -> Thread:
    """The general thread of the partnership at `slug`, or the thread of one of its activities,
    for a person who may see its workspace (404 otherwise, and for another partnership's
    activity) and do `perm` there (403 otherwise)."""
    partnership = partnership_workspace_for_user(user=user, slug=slug, perm=perm)
    activity_id = None
    if activity_pk is not None:
        # The activities of the partnership (workspace's model, read through its relation).
        activity = partnership.activities.filter(pk=activity_pk).only("pk", "title").first()
        if activity is None:
            raise AccessRefused(hidden=True, perm=Perm.WORKSPACE_VIEW)
        activity_id = activity.pk
    thread = thread_of(partnership=partnership, activity_id=activity_id)
    if activity_pk is not None:
        thread.activity = activity
    return thread


def messages_page(*, thread: Thread, page: str | int | None) -> Page:
    """A page of the thread's messages, oldest first; without a page number, the latest page.
    Four queries, however many messages there are."""
    rows = (
        Message.objects.filter(thread=thread)
        .select_related("author", "reply_to__author")
        .prefetch_related("mentions", "attachments")
        .order_by("created_at", "id")
    )
    paginator = Paginator(rows, PAGE_SIZE)
    if page in (None, ""):
        return paginator.page(paginator.num_pages)
    return paginator.get_page(page)


def _workspace_roles() -> list[str]:
    """Roles whose workspace reach is their own partnership (team roles, not staff)."""
    return [role for role, perms in POLICY.items() if perms.get(Perm.WORKSPACE_VIEW) is Scope.OWN]


def participants(*, partnership: Partnership) -> list[User]:
    """People of the partnership's team who may see its workspace: both sides' coordinators,
    project and steering-group members, and team members with an account. Two queries."""
    municipalities = [partnership.swedish_partner_id, partnership.partner_id]
    holding = RoleAssignment.objects.filter(role__in=_workspace_roles()).filter(
        Q(partnership=partnership)
        | Q(partnership__isnull=True, organisation__municipality_id__in=municipalities)
    )
    people = list(
        User.objects.filter(is_active=True, pk__in=holding.values("user_id")).order_by(
            "full_name", "email"
        )
    )
    known = {person.pk for person in people}
    target = partnership_target(partnership)
    others = User.objects.filter(is_active=True, team_memberships__partnership=partnership).exclude(
        pk__in=known
    )
    people += [person for person in others.distinct() if may(person, Perm.WORKSPACE_VIEW, target)]
    return people


def mentionable(*, thread: Thread) -> list[User]:
    """Who can be mentioned in `thread`: the participants, and the people outside the team
    (programme officers) who wrote in it and may still see it."""
    partnership = thread.partnership
    people = participants(partnership=partnership)
    known = {person.pk for person in people}
    target = partnership_target(partnership)
    writers = User.objects.filter(is_active=True, conversation_messages__thread=thread).exclude(
        pk__in=known
    )
    people += [person for person in writers.distinct() if may(person, Perm.WORKSPACE_VIEW, target)]
    return people


def attachable(*, partnership: Partnership) -> QuerySet[Document]:
    """The documents a message of this partnership may attach: its own."""
    return Document.objects.filter(partnership=partnership).order_by("-updated_at", "-id")


def unread_count(*, thread: Thread, person: User) -> int:
    last = (
        ReadState.objects.filter(thread=thread, person=person)
        .values_list("last_read_at", flat=True)
        .first()
    )
    rows = Message.objects.filter(thread=thread).exclude(author=person)
    if last is not None:
        rows = rows.filter(created_at__gt=last)
    return rows.count()


def unread_counts(*, partnership: Partnership, person: User) -> dict[int | None, int]:
    """{activity id (None: the general thread): unread messages} for `person`. One query."""
    last_read = ReadState.objects.filter(thread=OuterRef("thread"), person=person).values(
        "last_read_at"
    )[:1]
    counts = (
        Message.objects.filter(thread__partnership=partnership)
        .exclude(author=person)
        .alias(last_read=Subquery(last_read))
        .filter(Q(last_read__isnull=True) | Q(created_at__gt=F("last_read")))
        .values("thread__activity_id")
        .annotate(n=Count("id"))
    )
    return {row["thread__activity_id"]: row["n"] for row in counts}


def recent_messages(partnership: Partnership, limit: int = 5) -> list[Message]:
    """The latest messages of every thread of the partnership, newest first (the workspace's
    start page). One query."""
    return list(
        Message.objects.filter(thread__partnership=partnership)
        .select_related("author", "thread")
        .order_by("-created_at", "-id")[:limit]
    )
