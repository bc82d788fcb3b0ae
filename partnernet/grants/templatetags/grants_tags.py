from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`scores|get_item:"relevance"`: a value from a dict in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def section_state(section) -> str:
    """The translation state of a section for the reader's language."""
    return section.translation_state(get_language() or "sv")


@register.simple_tag
def section_text(section) -> str:
    """A section in the reader's language, or the original when the translation is missing."""
    text = getattr(section, f"text_{get_language() or 'sv'}", "")
    return text or getattr(section, f"text_{section.source_language}", "") or ""


TRANSLATION_LABELS = {
    "original": _("original"),
    "current": _("translation up to date"),
    "outdated": _("translation out of date"),
    "missing": _("translation missing"),
}


@register.filter
def section_state_label(section) -> str:
    return str(TRANSLATION_LABELS[section.translation_state(get_language() or "sv")])


@register.filter
def field_of(name: str, key: str) -> bool:
    """Whether a draft form field (`summary_sv`, `summary_source`) belongs to section `key`."""
    return name.startswith(f"{key}_")


ACTION_LABELS = {
    "create": _("started"),
    "save_draft": _("draft saved"),
    "draft_conflict": _("a co-writer was asked to merge"),
    "upload_letter": _("letter of intent uploaded"),
    "add_team_member": _("team member added"),
    "remove_team_member": _("team member removed"),
    "add_budget_line": _("budget line added"),
    "remove_budget_line": _("budget line removed"),
    "add_result": _("result added"),
    "add_indicator": _("indicator added"),
    "submit": _("submitted"),
    "screen": _("screening started"),
    "start_review": _("sent to review"),
    "request_information": _("more information requested"),
    "resubmit": _("resubmitted"),
    "grant": _("granted"),
    "reject": _("rejected"),
    "sign_agreement": _("agreement signed"),
    "activate": _("active"),
    "close": _("closed"),
    "sign_off": _("signed off"),
    "withdraw_sign_off": _("sign-off withdrawn"),
    "clear_sign_offs": _("sign-offs cleared by a change"),
    "request_exception": _("exception asked for"),
    "approve_exception": _("exception approved by a second officer"),
    "decline_exception": _("exception declined by a second officer"),
    "use_exception": _("exception used by the decision"),
}


@register.filter
def action_label(action: str) -> str:
    """An audit entry's action in the reader's language."""
    return str(ACTION_LABELS.get(action, action))
