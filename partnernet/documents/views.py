"""Pages of a partnership's documents (`/<lang>/partnerships/<slug>/work/documents/`) and the
public download of a published one. Thin: fetch through the permission layer, parse with a
form, call one service or selector."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import Perm, may, partnership_target, public, requires

from . import selectors, services
from .forms import CategoryFilter, PublishForm, UploadForm, VersionForm
from .models import Document
from .uploads import too_large


def _too_large_message() -> str:
    return _("The file is too large: at most %(size)s.") % {
        "size": filesizeformat(settings.DOCUMENT_MAX_BYTES)
    }


def _refusals(form, error: ValidationError) -> None:
    """Put a service's refusal on the form (a file's reason on the file field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("file", error)


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def document_list(request, slug: str):
    partnership = selectors.partnership_workspace_for_user(
        user=request.user, slug=slug, perm=Perm.WORKSPACE_VIEW
    )
    filters = CategoryFilter(request.GET)
    category = filters.cleaned_data["category"] if filters.is_valid() else ""
    target = partnership_target(partnership)
    context = {
        "partnership": partnership,
        "documents": selectors.documents_of(partnership=partnership, category=category),
        "filters": filters,
        "category": category,
        "may_write": may(request.user, Perm.WORKSPACE_WRITE, target),
    }
    return render(request, "documents/list.html", context)


@requires(Perm.WORKSPACE_WRITE)
@require_http_methods(["GET", "POST"])
def document_upload(request, slug: str):
    partnership = selectors.partnership_workspace_for_user(
        user=request.user, slug=slug, perm=Perm.WORKSPACE_WRITE
    )
    language = getattr(request.user, "preferred_language", "") or ""
    form = UploadForm(initial={"language": language})
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if too_large(request):
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_upload(
                    actor=request.user,
                    partnership=partnership,
                    title=data["title"],
                    category=data["category"],
                    language=data["language"],
                    file=data["file"],
                )
            except ValidationError as error:
                _refusals(form, error)
            else:
                messages.success(request, _("The document was uploaded. Only the team sees it."))
                return redirect("documents:detail", slug=slug, pk=document.pk)
        status = 400
    context = {"partnership": partnership, "form": form, "max_size": settings.DOCUMENT_MAX_BYTES}
    return render(request, "documents/upload.html", context, status=status)


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def document_detail(request, slug: str, pk: int):
    document = selectors.document_for_user(user=request.user, slug=slug, pk=pk)
    target = partnership_target(document.partnership)
    context = {
        "partnership": document.partnership,
        "document": document,
        "versions": list(document.versions.all()),
        "may_write": may(request.user, Perm.WORKSPACE_WRITE, target),
        "may_publish": may(request.user, Perm.DOCUMENT_PUBLISH, target),
        "version_form": VersionForm(),
    }
    return render(request, "documents/detail.html", context)


@requires(Perm.WORKSPACE_WRITE)
@require_http_methods(["GET", "POST"])
def document_version_add(request, slug: str, pk: int):
    document = selectors.document_for_user(
        user=request.user, slug=slug, pk=pk, perm=Perm.WORKSPACE_WRITE
    )
    form = VersionForm()
    status = 200
    if request.method == "POST":
        form = VersionForm(request.POST, request.FILES)
        if too_large(request):
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            try:
                version = services.document_version_add(
                    actor=request.user, document=document, file=form.cleaned_data["file"]
                )
            except ValidationError as error:
                _refusals(form, error)
            else:
                messages.success(
                    request, _("Version %(number)s was added.") % {"number": version.number}
                )
                return redirect("documents:detail", slug=slug, pk=document.pk)
        status = 400
    context = {
        "partnership": document.partnership,
        "document": document,
        "form": form,
        "max_size": settings.DOCUMENT_MAX_BYTES,
    }
    return render(request, "documents/version_add.html", context, status=status)


@requires(Perm.WORKSPACE_VIEW)
@require_GET
def document_download(request, slug: str, pk: int):
    document = selectors.document_for_user(user=request.user, slug=slug, pk=pk)
    raw = request.GET.get("version", "")
    if raw and not raw.isdigit():
        raise Http404
    version = selectors.version_of(document, int(raw) if raw else None)
    if version is None:
        raise Http404
    return selectors.document_file_response(version=version)


@requires(Perm.DOCUMENT_PUBLISH)
@require_POST
def document_publish(request, slug: str, pk: int):
    document = selectors.document_for_user(
        user=request.user, slug=slug, pk=pk, perm=Perm.DOCUMENT_PUBLISH
    )
    form = PublishForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose whether to publish the document."))
    published = form.cleaned_data["published"]
    services.document_publish(actor=request.user, document=document, published=published)
    if published:
        messages.success(request, _("The document is published on the public partnership page."))
    else:
        messages.success(request, _("The document is no longer public."))
    return redirect("documents:detail", slug=slug, pk=document.pk)


@public
@require_GET
def public_download(request, slug: str, pk: int, filename: str):
    """A published document of a published partnership; 404 for anything else."""
    try:
        shown, version = selectors.document_public_get(slug=slug, pk=pk, filename=filename)
    except Document.DoesNotExist:
        raise Http404 from None
    return selectors.document_file_response(version=version, name=shown.filename)
