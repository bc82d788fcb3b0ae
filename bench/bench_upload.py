"""Documents: a 20 MB upload through the real page (Django's WSGI handler, every middleware,
the view, the service, the storage) streams: the request body is read from a file on disk and
the upload is spooled to a temporary file chunk by chunk, so the process's memory does not grow
by the file's size. Reports the file size beside the peak Python allocation (tracemalloc) and
the growth of the process's peak resident set during the request."""

import contextlib
import io
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, override_settings

from bench.util import metric
from partnernet.accounts.models import User
from partnernet.documents import samples
from partnernet.documents.models import Document

SIZE = 20 * 1024 * 1024
BOUNDARY = "----partnernet-bench-boundary"
SLUG = "falun-kolomyia"
TOKEN = "b" * 32  # a CSRF secret: the cookie and the form's token


def _body(folder: Path) -> Path:
    """A multipart body on disk: title, category, language, CSRF token and a 20 MB PDF."""
    path = folder / "body.bin"
    pdf = samples.pdf("bench")
    head, tail = pdf[: pdf.rindex(b"%%EOF")], b"%%EOF\n"
    with path.open("wb") as out:
        for name, value in (
            ("csrfmiddlewaretoken", TOKEN),
            ("title", "Bench minutes (20 MB)"),
            ("category", "minutes"),
            ("language", "en"),
        ):
            out.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        out.write(head)
        padding = SIZE - len(head) - len(tail)
        line = b"%" + b"0" * 1022 + b"\n"
        for _ in range(padding // len(line)):
            out.write(line)
        out.write(b"%" * (padding % len(line)))
        out.write(tail)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path


def _status_mib(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> float:
    """The resident set now, with the peak reset to it where Linux allows (clear_refs 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    now = _status_mib("VmRSS")
    return now if now is not None else _peak_rss_mib()


def _peak_rss_mib() -> float:
    high = _status_mib("VmHWM")
    if high is not None:
        return high
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(ctx: dict) -> dict:
    user = User.objects.get(email="falun@demo.example")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Warm up: the page, its templates and translations once, so only the upload is measured.
    client.get(f"/en/partnerships/{SLUG}/work/documents/upload/")
    client.post(f"/en/partnerships/{SLUG}/work/documents/upload/", {"title": ""})
    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder):
        body = _body(Path(folder))
        length = body.stat().st_size
        status: list[str] = []
        handler = WSGIHandler()
        with body.open("rb") as stream:
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": f"/en/partnerships/{SLUG}/work/documents/upload/",
                "SCRIPT_NAME": "",
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
                "HTTP_HOST": "testserver",
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
                "CONTENT_LENGTH": str(length),
                "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={TOKEN}",
                "wsgi.input": stream,
                "wsgi.errors": io.StringIO(),
                "wsgi.url_scheme": "http",
                "wsgi.version": (1, 0),
                "wsgi.multithread": False,
                "wsgi.multiprocess": False,
                "wsgi.run_once": False,
            }
            rss_before = _reset_peak_rss()
            tracemalloc.start()
            started = time.perf_counter()
            response = handler(environ, lambda s, headers, *rest: status.append(s))
            elapsed = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss_growth = _peak_rss_mib() - rss_before
            response.close()
        if not status or not status[0].startswith("302"):
            raise RuntimeError(f"the upload was not accepted: {status}")
        document = Document.objects.get(title="Bench minutes (20 MB)")
        stored = document.versions.get().size
        for version in document.versions.all():
            version.file.delete(save=False)
        document.delete()
    return {
        "upload_file_size_mib": metric(stored / 2**20, "MiB", lower_is_better=False),
        "upload_20mb_python_peak_alloc_mib": metric(peak / 2**20, "MiB"),
        "upload_20mb_peak_rss_growth_mib": metric(rss_growth, "MiB"),
        "upload_20mb_seconds": metric(elapsed, "s"),
    }
