from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


@public
@require_GET
def healthz(request):
    ok = database_is_up()
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if ok else "unavailable",
        "version": settings.VERSION,
    }
    return JsonResponse(body, status=200 if ok else 503)
