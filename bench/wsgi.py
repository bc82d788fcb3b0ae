"""`gunicorn bench.wsgi:application`: Partnernet's own WSGI application (settings, middleware,
URLconf) with one route more, `/bench-trivial/`, a public view answering "ok", so the bench's
gunicorn compares the catalogue with a trivial view through the same stack in the same run.
Only the bench's server loads this module; the real URLconf and `partnernet.wsgi` are unchanged.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402  (settings module first)

application = get_wsgi_application()

from django.http import HttpResponse  # noqa: E402  (after django.setup())
from django.urls import clear_url_caches, path  # noqa: E402

from partnernet import urls  # noqa: E402
from partnernet.accounts.permissions import public  # noqa: E402

TRIVIAL_PATH = "/bench-trivial/"


@public
def trivial(request):
    """The least a view can do through the whole middleware."""
    return HttpResponse("ok", content_type="text/plain")


urls.urlpatterns.insert(0, path(TRIVIAL_PATH.strip("/") + "/", trivial, name="bench_trivial"))
clear_url_caches()
