"""The audit trail's history page. It lives in core (the top layer) because it needs the
permission layer, and accounts sits above audit: every model declares its personal data through
`audit.personal`, so audit itself imports nothing of accounts. Template: audit/history.html."""

from django.shortcuts import render

from partnernet.accounts.permissions import AccessRefused, Perm, requires
from partnernet.audit.selectors import object_history


@requires(Perm.AUDIT_VIEW)
def history(request, object_type: str, object_id: str):
    """Every recorded change of one object: for programme and finance officers. An object that
    is gone keeps its history; one that never existed and has none is a 404."""
    context = object_history(object_type=object_type, object_id=object_id[:64])
    if context["object"] is None and not (context["entries"] or context["row_changes"]):
        raise AccessRefused(hidden=True, perm=Perm.AUDIT_VIEW)
    context.update(object_type=object_type, object_id=object_id)
    return render(request, "audit/history.html", context)
