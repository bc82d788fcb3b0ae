"""Co-writing a report's narrative: its sections (`ReportSection.Key`), written by both sides
in three languages with the very rules of an application's texts (`grants.drafts`, stored by
`grants.services.sections`): a version per section, a base per page, a conflict instead of an
overwrite, a partial post that blanks nothing, translation state per language.

Every write locks the report and refuses one its team may no longer change (submitted,
approved), with a translated reason and nothing written."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnernet.accounts.models import User
from partnernet.audit.services import audit_record
from partnernet.grants import drafts
from partnernet.grants.services.sections import sections_save

from ..models import Report, ReportSection

SECTION_ORDER = {key: index for index, key in enumerate(ReportSection.Key.values)}


def report_sections_ensure(report: Report) -> list[ReportSection]:
    """The report's narrative sections, one per key in the order of `ReportSection.Key`,
    created (empty) where missing; safe when two people open a new report at once."""
    sections = list(report.sections.all())
    missing = set(ReportSection.Key.values) - {section.key for section in sections}
    if missing:
        ReportSection.objects.bulk_create(
            [ReportSection(report=report, key=key) for key in sorted(missing)],
            ignore_conflicts=True,
        )
        sections = list(report.sections.all())
    return sorted(sections, key=lambda section: SECTION_ORDER.get(section.key, 99))


def report_writable(report_id: int) -> Report:
    """The report, locked, if its team may still write it; else a translated refusal."""
    report = Report.objects.select_for_update().get(pk=report_id)
    if not report.is_writable:
        raise ValidationError(
            _(
                "This report is %(state)s: it can no longer be changed. It is changed again "
                "only if the programme officer returns it."
            )
            % {"state": report.get_state_display()}
        )
    return report


@dataclass
class ReportDraftResult:
    """What a save of the narrative did: per section its outcome and state now; conflicts."""

    report: Report
    sections: dict[str, dict] = dataclass_field(default_factory=dict)
    conflicts: list[dict] = dataclass_field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return [key for key, item in self.sections.items() if item["outcome"] == drafts.SAVE]


def report_draft_save(
    *, report_id: int, actor: User, sections: dict[str, drafts.SectionEdit]
) -> ReportDraftResult:
    """Store what a co-writer changed of the narrative, never what someone else changed
    meanwhile (see `grants.drafts`): a section changed by both comes back as a conflict with
    both texts; the others are saved; a section the post does not carry is left as it is."""
    with transaction.atomic():
        report = report_writable(report_id)
        stored = report_sections_ensure(report)
        result = ReportDraftResult(report=report)
        result.sections, result.conflicts = sections_save(stored, sections)
        if result.changed:
            audit_record(
                actor=actor, action="save_narrative", obj=report, after={"changed": result.changed}
            )
        if result.conflicts:
            audit_record(
                actor=actor,
                action="narrative_conflict",
                obj=report,
                after={"conflicts": [c["key"] for c in result.conflicts]},
            )
    return result


def narrative_problems(report: Report) -> list[str]:
    """What keeps the narrative from being submitted: each section empty in its original
    language (a translation may follow, the original may not be missing)."""
    problems = []
    for section in report_sections_ensure(report):
        original = getattr(section, f"text_{section.source_language}", "") or ""
        if not original.strip():
            problems.append(
                _("The section “%(section)s” is empty in its original language.")
                % {"section": section.get_key_display()}
            )
    return problems
