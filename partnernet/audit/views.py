from django.shortcuts import render

from partnernet.accounts.models import Role
from partnernet.accounts.permissions import role_required

from .selectors import object_history


@role_required(Role.PROGRAMME_OFFICER, Role.FINANCE_OFFICER)
def history(request, object_type: str, object_id: str):
    """Every recorded change of one object: for programme and finance officers."""
    context = object_history(object_type=object_type, object_id=object_id[:64])
    context.update(object_type=object_type, object_id=object_id)
    return render(request, "audit/history.html", context)
