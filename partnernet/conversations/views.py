"""The conversation pages: `/<lang>/partnerships/<slug>/work/conversation/` (the partnership's
thread) and `…/activity/<activity_pk>/` (an activity's). Opening a thread marks it read."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnernet.accounts.permissions import Perm, may, partnership_target, requires

from . import selectors, services
from .forms import MessageForm
from .models import Thread


def _form(thread: Thread, people, data=None, initial=None) -> MessageForm:
    return MessageForm(
        data,
        initial=initial,
        people=people,
        documents=selectors.attachable(partnership=thread.partnership),
        thread_id=thread.pk,
    )


def _page(request, thread: Thread, form: MessageForm | None = None, status: int = 200):
    people = selectors.mentionable(thread=thread)
    page = selectors.messages_page(thread=thread, page=request.GET.get("page"))
    may_write = may(request.user, Perm.WORKSPACE_WRITE, partnership_target(thread.partnership))
    if form is None:
        reply = request.GET.get("reply_to", "")
        initial = {"language": getattr(request.user, "preferred_language", "") or "sv"}
        if reply.isdigit():
            initial["reply_to"] = int(reply)
        form = _form(thread, people, initial=initial)
    services.thread_mark_read(person=request.user, thread=thread)
    context = {
        "partnership": thread.partnership,
        "thread": thread,
        "activity": thread.activity if thread.activity_id else None,
        "page": page,
        "form": form,
        "may_write": may_write,
        "post_url": services.thread_link(thread) + "post/",
    }
    return render(request, "conversations/thread.html", context, status=status)


def _post(request, thread: Thread):
    people = selectors.mentionable(thread=thread)
    form = _form(thread, people, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            message = services.message_post(
                actor=request.user,
                thread=thread,
                body=data["body"],
                language=data["language"],
                reply_to=data["reply_to"],
                mentions=data["mentions"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(services.thread_link(thread) + f"#message-{message.pk}")
    if "reply_to" in form.errors:
        form.add_error(None, _("A reply answers a message of the same conversation."))
    return _page(request, thread, form=form, status=400)


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def thread(request, slug: str):
    return _page(request, selectors.thread_for_user(user=request.user, slug=slug))


@requires(Perm.WORKSPACE_WRITE)
@require_POST
def post(request, slug: str):
    found = selectors.thread_for_user(user=request.user, slug=slug, perm=Perm.WORKSPACE_WRITE)
    return _post(request, found)


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def activity_thread(request, slug: str, activity_pk: int):
    found = selectors.thread_for_user(user=request.user, slug=slug, activity_pk=activity_pk)
    return _page(request, found)


@requires(Perm.WORKSPACE_WRITE)
@require_POST
def activity_post(request, slug: str, activity_pk: int):
    found = selectors.thread_for_user(
        user=request.user, slug=slug, activity_pk=activity_pk, perm=Perm.WORKSPACE_WRITE
    )
    return _post(request, found)
