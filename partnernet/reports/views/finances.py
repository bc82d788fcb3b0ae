"""A report's finances: its expenditures (budget against actual), receipts, the bulk import of
a file, and the reimbursement after approval. Thin views: fetch through `report_for_user`,
parse the form, call one service, render or redirect.

Reading pages are declared `authenticated` and the fetch answers the rest (404 for those who
may not see the partnership's reports, 403 for those who see them but may not do this); writing
pages `requires` the permission first (403 for a role that never holds it, whatever the key),
then the fetch hides other partnerships' reports (404). A refused
write re-renders with what was typed (400; 409 for a stale version), nothing saved.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnernet.accounts.permissions import (
    Perm,
    authenticated,
    may,
    partnership_target,
    requires,
)
from partnernet.documents.models import Document
from partnernet.documents.uploads import too_large
from partnernet.grants.models import CostCategory
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES

from .. import expenditure_import as rows
from ..models import (
    Currency,
    Expenditure,
    ExpenditureImport,
    Reimbursement,
    Report,
    ReportState,
)
from ..selectors import report_for_user
from ..services import finances as services
from ..services.reimbursement import approved_actual, reimbursement_record


# Forms ---------------------------------------------------------------------------------------
class ExpenditureForm(forms.Form):
    """What a person types; the rules are the service's (`expenditure_import.check_row`)."""

    paid_on = forms.CharField(
        label=gettext_lazy("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300)
    category = forms.ChoiceField(label=gettext_lazy("Cost category"))
    budget_line = forms.ChoiceField(label=gettext_lazy("Budget line"), required=False)
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"), choices=Currency.choices, initial=Currency.SEK
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount paid"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    rate = forms.CharField(
        label=gettext_lazy("Rate (SEK per unit)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Leave it empty to use the latest recorded rate on or before the payment date, or "
            "give the bank's rate of the payment. SEK always has rate 1."
        ),
    )
    rate_date = forms.CharField(
        label=gettext_lazy("Date of the rate"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The payment date when left empty."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, categories, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        budget_line = self.fields["budget_line"]
        assert isinstance(category, forms.ChoiceField)
        assert isinstance(budget_line, forms.ChoiceField)
        category.choices = [("", "—")] + [
            (
                str(c.pk),
                c.name if c.eligible else _("%(name)s (not eligible)") % {"name": c.name},
            )
            for c in categories
        ]
        budget_line.choices = [("", _("none"))] + [
            (str(line.pk), f"{line.pk}: {line.description} ({line.category.name})")
            for line in budget_lines
        ]

    def values(self) -> dict[str, str]:
        return {name: str(self.data.get(name, "") or "") for name in rows.FIELDS}


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _expenditure_form(report: Report, data=None, initial=None, budget_lines=None):
    lines = (
        budget_lines
        if budget_lines is not None
        else services.finances_overview(report)["budget_lines"]
    )
    return ExpenditureForm(
        data,
        initial={"version": report.version, **(initial or {})},
        categories=list(CostCategory.objects.all()),
        budget_lines=lines,
    )


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, services.StaleReport) else 400


def _finances_url(report: Report) -> str:
    return reverse("reports:finances", kwargs={"slug": report.partnership.slug, "pk": report.pk})


def _may_write(request, report: Report) -> bool:
    return report.is_writable and may(
        request.user, Perm.REPORT_WRITE, partnership_target(report.partnership)
    )


# The finances page ---------------------------------------------------------------------------
def _finances_page(request, report: Report, form=None, status: int = 200) -> HttpResponse:
    overview = services.finances_overview(report)
    may_write = _may_write(request, report)
    context = {
        "report": report,
        "partnership": report.partnership,
        "current": "finances",
        "may_write": may_write,
        "may_reimburse": may(
            request.user, Perm.REIMBURSEMENT_RECORD, partnership_target(report.partnership)
        ),
        "threshold": services.RECEIPT_THRESHOLD,
        "rates": services.latest_rates(report) if may_write else [],
        **overview,
    }
    if may_write:
        context["form"] = form or _expenditure_form(report, budget_lines=overview["budget_lines"])
    return render(request, "reports/finances.html", context, status=status)


@authenticated
@require_GET
def finances(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk)
    return _finances_page(request, report)


@requires(Perm.REPORT_WRITE)
@require_POST
def expenditure_add(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    form = _expenditure_form(report, data=request.POST)
    try:
        services.expenditure_add(
            report=report, version=_version(request), values=form.values(), actor=request.user
        )
    except ValidationError as error:
        form.is_valid()
        form.add_error(None, error)
        return _finances_page(request, report, form=form, status=_status(error))
    messages.success(request, _("The expenditure is saved."))
    return redirect(_finances_url(report))


def _expenditure_of(report: Report, expenditure_pk: int) -> Expenditure:
    expenditure = (
        Expenditure.objects.filter(pk=expenditure_pk, report=report)
        .select_related("category", "budget_line")
        .prefetch_related("receipts")
        .first()
    )
    if expenditure is None:
        raise Http404
    return expenditure


def _initial(expenditure: Expenditure) -> dict:
    return {
        "paid_on": expenditure.paid_on.isoformat(),
        "description": expenditure.description,
        "category": str(expenditure.category_id),
        "budget_line": str(expenditure.budget_line_id or ""),
        "currency": expenditure.currency,
        "amount": str(expenditure.amount),
        "rate": "" if expenditure.currency == Currency.SEK else str(expenditure.rate.normalize()),
        "rate_date": expenditure.rate_date.isoformat(),
    }


@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def expenditure_edit(request, slug: str, pk: int, expenditure_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    expenditure = _expenditure_of(report, expenditure_pk)
    status = 200
    if request.method == "POST":
        form = _expenditure_form(report, data=request.POST)
        try:
            services.expenditure_edit(
                report=report,
                expenditure_pk=expenditure.pk,
                version=_version(request),
                values=form.values(),
                actor=request.user,
            )
        except ValidationError as error:
            form.is_valid()
            form.add_error(None, error)
            status = _status(error)
        else:
            messages.success(request, _("The expenditure is saved."))
            return redirect(_finances_url(report))
    else:
        form = _expenditure_form(report, initial=_initial(expenditure))
    context = {
        "report": report,
        "partnership": report.partnership,
        "expenditure": expenditure,
        "form": form,
        "writable": report.is_writable,
        "documents": _documents(report),
        "languages": LANGUAGE_CHOICES,
    }
    return render(request, "reports/expenditure_form.html", context, status=status)


def _documents(report: Report) -> list[Document]:
    return list(Document.objects.filter(partnership_id=report.partnership_id).order_by("-id")[:200])


@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def expenditure_remove(request, slug: str, pk: int, expenditure_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    expenditure = _expenditure_of(report, expenditure_pk)
    error_text, status = "", 200
    if request.method == "POST":
        try:
            services.expenditure_remove(
                report=report,
                expenditure_pk=expenditure.pk,
                version=_version(request),
                actor=request.user,
            )
        except ValidationError as error:
            error_text, status = " ".join(error.messages), _status(error)
        else:
            messages.success(request, _("The expenditure is removed."))
            return redirect(_finances_url(report))
    context = {
        "report": report,
        "partnership": report.partnership,
        "expenditure": expenditure,
        "error": error_text,
    }
    return render(request, "reports/expenditure_remove.html", context, status=status)


@requires(Perm.REPORT_WRITE)
@require_POST
def receipt_add(request, slug: str, pk: int, expenditure_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    expenditure = _expenditure_of(report, expenditure_pk)
    upload = request.FILES.get("file")
    document_pk = None
    if not upload and request.POST.get("document"):
        try:
            document_pk = int(request.POST["document"])
        except ValueError:
            document_pk = 0
    try:
        if too_large(request):
            raise ValidationError(_("The file is too large."), code="too_large")
        services.receipt_add(
            report=report,
            expenditure_pk=expenditure.pk,
            version=_version(request),
            actor=request.user,
            file=upload,
            title=request.POST.get("title", ""),
            language=request.POST.get("language", ""),
            document_pk=document_pk,
        )
    except ValidationError as error:
        form = _expenditure_form(report, initial=_initial(expenditure))
        context = {
            "report": report,
            "partnership": report.partnership,
            "expenditure": expenditure,
            "form": form,
            "writable": report.is_writable,
            "documents": _documents(report),
            "languages": LANGUAGE_CHOICES,
            "receipt_errors": error.messages,
        }
        return render(request, "reports/expenditure_form.html", context, status=_status(error))
    messages.success(request, _("The receipt is attached."))
    return redirect(
        reverse(
            "reports:expenditure_edit",
            kwargs={"slug": slug, "pk": report.pk, "expenditure_pk": expenditure.pk},
        )
    )


# Bulk import ---------------------------------------------------------------------------------
@requires(Perm.REPORT_WRITE)
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    error_text, status = "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if too_large(request):
                raise ValidationError(_("The file is too large."), code="too_large")
            if upload is None:
                raise ValidationError(_("Choose a file to upload."), code="file")
            if upload.size and upload.size > rows.MAX_BYTES:
                raise ValidationError(
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": rows.MAX_BYTES // (1024 * 1024)},
                    code="file",
                )
            data = upload.read()
            created = services.expenditure_import_preview(
                report=report, file_name=upload.name or "", data=data, actor=request.user
            )
        except ValidationError as error:
            error_text, status = " ".join(error.messages), 400
        else:
            return redirect(
                reverse(
                    "reports:import_preview",
                    kwargs={"slug": slug, "pk": report.pk, "import_pk": created.pk},
                )
            )
    context = {
        "report": report,
        "partnership": report.partnership,
        "current": "finances",
        "error": error_text,
        "headings": [rows.heading_in(key) for key in rows.FIELDS],
        "required": [rows.heading_in(key) for key in rows.REQUIRED],
        "max_rows": rows.MAX_ROWS,
    }
    return render(request, "reports/import_form.html", context, status=status)


def _import_of(report: Report, import_pk: int) -> ExpenditureImport:
    upload = ExpenditureImport.objects.filter(pk=import_pk, report=report).first()
    if upload is None:
        raise Http404
    return upload


def _preview_page(
    request, report: Report, upload: ExpenditureImport, *, error: str = "", status: int = 200
) -> HttpResponse:
    pages = Paginator(upload.rows, services.PREVIEW_PAGE_SIZE)
    page = pages.get_page(request.GET.get("page"))
    total = sum((Decimal(item["amount_sek"]) for item in upload.rows), Decimal(0))
    context = {
        "report": report,
        "partnership": report.partnership,
        "current": "finances",
        "upload": upload,
        "page": page,
        "row_count": len(upload.rows),
        "error_count": len(upload.errors),
        "total": total,
        "error": error,
        "writable": _may_write(request, report),
    }
    return render(request, "reports/import_preview.html", context, status=status)


@requires(Perm.REPORT_WRITE)
@require_GET
def import_preview(request, slug: str, pk: int, import_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    return _preview_page(request, report, _import_of(report, import_pk))


@requires(Perm.REPORT_WRITE)
@require_POST
def import_confirm(request, slug: str, pk: int, import_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    upload = _import_of(report, import_pk)
    try:
        upload, written = services.expenditure_import_confirm(
            report=report, import_pk=upload.pk, version=_version(request), actor=request.user
        )
    except ValidationError as error:
        upload.refresh_from_db()
        return _preview_page(
            request, report, upload, error=" ".join(error.messages), status=_status(error)
        )
    if written:
        messages.success(request, _("%(count)s expenditures are imported.") % {"count": written})
    else:
        messages.info(request, _("This file had already been imported; nothing was added."))
    return redirect(_finances_url(report))


@requires(Perm.REPORT_WRITE)
@require_POST
def import_discard(request, slug: str, pk: int, import_pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REPORT_WRITE)
    upload = _import_of(report, import_pk)
    try:
        services.expenditure_import_discard(report=report, import_pk=upload.pk, actor=request.user)
    except ValidationError as error:
        return _preview_page(request, report, upload, error=" ".join(error.messages), status=400)
    messages.success(request, _("The file is discarded; nothing was imported."))
    return redirect(_finances_url(report))


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@authenticated
@require_GET
def import_template(request, slug: str, pk: int, fmt: str) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    language = (get_language() or "sv")[:2]
    sample = services.import_sample(report, language)
    data = (
        rows.template_csv(language, sample)
        if fmt == "csv"
        else rows.template_xlsx(language, sample)
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = {"sv": "utgifter", "uk": "vytraty", "en": "expenditures"}.get(language, "expenditures")
    response["Content-Disposition"] = f'attachment; filename="{name}-{language}.{fmt}"'
    return response


# Reimbursement -------------------------------------------------------------------------------
class AmountField(forms.DecimalField):
    """An amount read as the expenditure form reads it (`rows.parse_decimal`): "13 500,50",
    "13500.50" and "13,500.50" are the same number."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = rows.parse_decimal(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class ReimbursementForm(forms.Form):
    amount = AmountField(
        label=gettext_lazy("Amount (SEK)"), max_digits=12, decimal_places=2, localize=True
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=gettext_lazy("Payment reference"), max_length=100)


@requires(Perm.REIMBURSEMENT_RECORD)
@require_http_methods(["GET", "POST"])
def reimburse(request, slug: str, pk: int) -> HttpResponse:
    report = report_for_user(user=request.user, slug=slug, pk=pk, perm=Perm.REIMBURSEMENT_RECORD)
    most = approved_actual(report)
    form = ReimbursementForm(request.POST or None, initial={"amount": most})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reimbursement_record(
                    report=report,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data["paid_on"],
                    reference=form.cleaned_data["reference"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
                # A list of problems carries no single code.
                status = 409 if getattr(error, "code", None) == "already" else 400
            else:
                messages.success(request, _("The reimbursement is recorded."))
                return redirect(_finances_url(report))
        else:
            status = 400
    existing = Reimbursement.objects.filter(report=report).first()
    context = {
        "report": report,
        "partnership": report.partnership,
        "current": "finances",
        "form": form,
        "most": most,
        "approved": report.state == ReportState.APPROVED,
        "existing": existing,
    }
    return render(request, "reports/reimburse.html", context, status=status)


urlpatterns = [
    path("<int:pk>/finances/", finances, name="finances"),
    path("<int:pk>/finances/add/", expenditure_add, name="expenditure_add"),
    path("<int:pk>/finances/<int:expenditure_pk>/", expenditure_edit, name="expenditure_edit"),
    path(
        "<int:pk>/finances/<int:expenditure_pk>/remove/",
        expenditure_remove,
        name="expenditure_remove",
    ),
    path("<int:pk>/finances/<int:expenditure_pk>/receipts/", receipt_add, name="receipt_add"),
    path("<int:pk>/finances/import/", import_upload, name="import"),
    path("<int:pk>/finances/import/<int:import_pk>/", import_preview, name="import_preview"),
    path(
        "<int:pk>/finances/import/<int:import_pk>/confirm/",
        import_confirm,
        name="import_confirm",
    ),
    path(
        "<int:pk>/finances/import/<int:import_pk>/discard/",
        import_discard,
        name="import_discard",
    ),
    path("<int:pk>/finances/import/template.<str:fmt>", import_template, name="import_template"),
    path("<int:pk>/reimbursement/", reimburse, name="reimburse"),
]
