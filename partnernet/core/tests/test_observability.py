"""Observability (issue 15.6): JSON log lines with the request id and the person's id and no
personal data, the X-Request-ID header, /metrics behind its token, job outcome counts, the
request id carried into jobs, and the error reporter."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from partnernet.accounts.models import User
from partnernet.accounts.permissions import public
from partnernet.jobs.models import Job, JobState
from partnernet.jobs.registry import job
from partnernet.jobs.services import REQUEST_ID_ARGUMENT, job_enqueue, job_run
from partnernet.lib import metrics, requestlog
from partnernet.lib.testing_services import RedisServer, missing_programs, running
from partnernet.urls import urlpatterns as site_urlpatterns

TOKEN = "a-metrics-token-for-the-tests"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


class Boom(RuntimeError):
    pass


@public
def boom(request):
    raise Boom("a message that names boom.person@example.org")


@public
def fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("test-boom/", boom, name="test_boom"),
    path("test-fine/", fine, name="test_fine"),
    *site_urlpatterns,
]


@pytest.fixture
def log_lines():
    """Every line the site's JSON handler would write while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(requestlog.ContextFilter())
    handler.setFormatter(requestlog.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [line for line in stream.getvalue().splitlines() if line]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture(autouse=True)
def _fresh_counts():
    metrics.STORE.clear()
    cache.clear()  # the error reporter remembers the errors it reported
    yield
    metrics.STORE.clear()


def parsed(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]  # fails on a line that is not JSON


def sample(text: str, series: str) -> float:
    """The value of one series in a Prometheus text page (0 when it is absent)."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# Request ids ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_forged_unsafe_request_id_is_replaced(client):
    for forged in ("a b", "x" * 65, "<script>", "id\r\nSet-Cookie: a=b", "ü"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID=forged)
        assert GENERATED_ID.fullmatch(response["X-Request-ID"]), forged


@pytest.mark.django_db
def test_a_safe_request_id_from_an_untrusted_peer_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-a-client")
    assert response["X-Request-ID"] != "chosen-by-a-client"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):  # the test client is 127.0.0.1
        response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-a-client")
    assert response["X-Request-ID"] != "chosen-by-a-client"


@pytest.mark.django_db
def test_a_safe_request_id_from_a_trusted_proxy_is_kept(client):
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id.42_A")
    assert response["X-Request-ID"] == "proxy-id.42_A"


@pytest.mark.django_db
def test_every_answer_has_its_own_request_id(client):
    ids = {client.get(url)["X-Request-ID"] for url in ("/healthz", "/en/", "/nope", "/healthz")}
    assert len(ids) == 4 and all(GENERATED_ID.fullmatch(i) for i in ids)


# Log lines --------------------------------------------------------------------------------------
DISTINCT_EMAIL = "zebulon.quuxworth@example.org"
DISTINCT_NAME = "Zebulon Quuxworth"
DISTINCT_VALUE = "Xylophonically Renamed"
DISTINCT_QUERY = "qwertyquerystring"
DISTINCT_SECRET = "calendarsecretvalue"
PASSWORD = "a-long-distinct-password-9"


@pytest.mark.django_db
def test_log_lines_are_json_with_the_request_id_and_person_and_no_personal_data(log_lines):
    person = User.objects.create_user(DISTINCT_EMAIL, PASSWORD, full_name=DISTINCT_NAME)
    client = Client()
    signed = client.post("/accounts/login/", {"email": DISTINCT_EMAIL, "password": PASSWORD})
    assert signed.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)
    saved = client.post("/accounts/", {"full_name": DISTINCT_VALUE, "preferred_language": "en"})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.full_name == DISTINCT_VALUE
    searched = client.get(f"/en/partnerships/?q={DISTINCT_QUERY}&email={DISTINCT_EMAIL}")
    missing = client.get(f"/calendar/{DISTINCT_SECRET}.ics?who={DISTINCT_NAME}")
    assert missing.status_code == 404

    lines = log_lines()
    records = parsed(lines)
    access = [r for r in records if r["logger"] == "partnernet.access"]
    assert len(access) >= 4
    for record in access:
        assert {"time", "level", "logger", "message", "request_id", "method", "route"} <= set(
            record
        )
    by_id = {r["request_id"]: r for r in access}
    assert by_id[saved["X-Request-ID"]]["person"] == person.pk
    assert by_id[saved["X-Request-ID"]]["route"] == "accounts:home"
    assert by_id[saved["X-Request-ID"]]["status"] == 302
    assert by_id[searched["X-Request-ID"]]["route"] == "catalogue:partnerships"
    assert by_id[missing["X-Request-ID"]]["route"] == "calendar_feed"
    assert by_id[missing["X-Request-ID"]]["person"] == person.pk
    text = "\n".join(lines)
    for secret in (
        DISTINCT_EMAIL,
        DISTINCT_NAME,
        "Zebulon",
        "Quuxworth",
        DISTINCT_VALUE,
        "Xylophonically",
        DISTINCT_QUERY,
        DISTINCT_SECRET,
        PASSWORD,
    ):
        assert secret.lower() not in text.lower(), secret


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_is_logged_by_its_class_and_stack_never_its_message(log_lines):
    response = Client(raise_request_exception=False).get("/test-boom/?token=querysecret")
    assert response.status_code == 500
    errors = [r for r in parsed(log_lines()) if r.get("exception")]
    assert errors and errors[0]["exception"] == "Boom"
    assert errors[0]["request_id"] == response["X-Request-ID"]
    assert any("in boom" in frame for frame in errors[0]["stack"])
    text = "\n".join(log_lines())
    assert "boom.person@example.org" not in text and "querysecret" not in text


def test_the_text_form_names_the_request_id():
    record = logging.LogRecord(
        "partnernet.x", logging.INFO, __file__, 1, "hello %s", ("you",), None
    )
    with requestlog.context(request_id="rid-1"):
        requestlog.ContextFilter().filter(record)
    assert requestlog.TextFormatter().format(record) == "INFO partnernet.x: [rid-1] hello you"


# /metrics ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_metrics_are_not_there_without_a_token_setting(client):
    with override_settings(METRICS_TOKEN=""):
        assert client.get("/metrics", **BEARER).status_code == 404
        assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_refuse_a_missing_or_wrong_token(client):
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    for wrong in (f"Bearer {TOKEN}x", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN[:-1]}"):
        response = client.get("/metrics", HTTP_AUTHORIZATION=wrong)
        assert response.status_code in (401, 403), wrong
        assert b"partnernet_" not in response.content
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_and_latencies(client):
    series = 'partnernet_http_requests_total{method="GET",route="healthz",status="2xx"}'
    first = client.get("/metrics", **BEARER)
    assert first.status_code == 200
    assert first["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert first["Cache-Control"].startswith("max-age=0") or "no-cache" in first["Cache-Control"]
    before = sample(first.content.decode(), series)
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page")
    text = client.get("/metrics", **BEARER).content.decode()
    assert sample(text, series) == before + 3
    assert (
        sample(text, 'partnernet_http_requests_total{method="GET",route="unmatched",status="4xx"}')
        == 1
    )
    assert "# TYPE partnernet_http_request_duration_seconds histogram" in text
    probe = 'partnernet_http_request_duration_seconds_bucket{kind="probe",le="+Inf"}'
    assert sample(text, probe) >= 3
    assert sample(text, 'partnernet_http_request_duration_seconds_count{kind="probe"}') == sample(
        text, probe
    )
    assert sample(text, "partnernet_jobs_waiting") >= 0
    assert "partnernet_jobs_waiting " in text
    assert "partnernet_broker_queue_length" not in text  # no broker in the tests
    # Every sample line is `name{labels} number` or `name number`.
    for line in text.splitlines():
        if not line.startswith("#"):
            assert re.fullmatch(
                r'[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+', line
            ), line


# Jobs -------------------------------------------------------------------------------------------
@job("core.test.fine")
def _fine_job(**arguments) -> None:
    logging.getLogger("partnernet.core.tests").info("the job ran")


@job("core.test.failing")
def _failing_job(**arguments) -> None:
    raise ValueError("never")


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_job_outcomes_are_counted(client):
    ok = Job.objects.create(name="core.test.fine")
    bad = Job.objects.create(name="core.test.failing")
    assert job_run(job_id=ok.pk).state == "done"
    assert job_run(job_id=bad.pk).state == "retry"
    Job.objects.filter(pk=bad.pk).update(attempts=100)
    assert job_run(job_id=bad.pk).state == "failed"
    assert job_run(job_id=ok.pk).state == "done"  # already done: not counted again
    text = client.get("/metrics", **BEARER).content.decode()
    assert sample(text, 'partnernet_jobs_total{name="core.test.fine",outcome="done"}') == 1
    assert sample(text, 'partnernet_jobs_total{name="core.test.failing",outcome="retry"}') == 1
    assert sample(text, 'partnernet_jobs_total{name="core.test.failing",outcome="failed"}') == 1


@pytest.mark.django_db
def test_the_jobs_of_a_request_carry_its_request_id(log_lines):
    with requestlog.context(request_id="asked-by-7", person=7):
        queued = job_enqueue(name="core.test.fine", arguments={"n": 1}, delay=None)
    queued.refresh_from_db()
    assert queued.arguments == {"n": 1, REQUEST_ID_ARGUMENT: "asked-by-7"}
    # The worker: another context (none), and the job's lines carry the request's id.
    assert job_run(job_id=queued.pk).state == "done"
    ran = [r for r in parsed(log_lines()) if r["message"] == "the job ran"]
    assert ran == [ran[0]] and ran[0]["request_id"] == "asked-by-7"
    assert ran[0]["job"] == "core.test.fine"
    assert Job.objects.get(pk=queued.pk).state == JobState.DONE
    assert requestlog.current() == {}  # nothing of the job is left behind


@pytest.mark.django_db
def test_a_job_asked_for_outside_a_request_has_no_request_id():
    queued = job_enqueue(name="core.test.fine", arguments={"n": 2})
    queued.refresh_from_db()
    assert queued.arguments == {"n": 2}


# The error reporter -----------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_no_report_without_a_reporter_configured(django_capture_on_commit_callbacks):
    quiet = override_settings(ERROR_REPORT_EMAIL="", ERROR_REPORT_URL="")
    with quiet, django_capture_on_commit_callbacks(execute=True):
        Client(raise_request_exception=False).get("/test-boom/")
    assert not Job.objects.filter(name="core.report_error").exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@override_settings(ERROR_REPORT_EMAIL="ops@example.net", ERROR_REPORT_URL="")
def test_a_new_error_is_e_mailed_once_without_the_request(django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "cookie-secret-value"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get("/test-boom/?who=query-secret-value")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/test-boom/", {"field": "body-secret-value"})
    assert first.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.net"]
    body = message.subject + message.body
    assert "Boom" in body and first["X-Request-ID"] in body and "test_boom" in body
    assert "in boom" in body
    for secret in ("query-secret-value", "cookie-secret-value", "body-secret-value", "boom.person"):
        assert secret not in body


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (the standard library's name)
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_new_error_is_posted_to_the_webhook(django_capture_on_commit_callbacks):
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        hook_only = override_settings(ERROR_REPORT_URL=url, ERROR_REPORT_EMAIL="")
        with hook_only, django_capture_on_commit_callbacks(execute=True):
            response = Client(raise_request_exception=False).get("/test-boom/?q=secretq")
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Hook.received) == 1
    report = _Hook.received[0]
    assert report["exception"].endswith("Boom")
    assert report["request_id"] == response["X-Request-ID"]
    assert report["route"] == "test_boom" and report["method"] == "GET"
    assert "secretq" not in json.dumps(report) and "boom.person" not in json.dumps(report)
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@override_settings(ERROR_REPORT_EMAIL="ops@example.net", ERROR_REPORT_URL="http://127.0.0.1:9/x")
def test_a_reporter_that_fails_never_fails_the_request(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(raise_request_exception=False).get("/test-boom/")
    assert response.status_code == 500  # the error's own page, not a second failure
    assert len(mail.outbox) == 1  # the e-mail went; the webhook's report waits for a retry
    hook = Job.objects.get(name="core.report_error", arguments__channel="url")
    assert hook.state == JobState.PENDING and hook.attempts >= 1
    assert Client().get("/test-fine/").status_code == 200


# Counts shared in Redis -------------------------------------------------------------------------
@pytest.mark.skipif(bool(missing_programs("redis-server")), reason="needs redis-server")
def test_counts_in_redis_add_up_over_processes_and_a_stopped_redis_fails_open():
    server = RedisServer()
    with running(server), override_settings(CACHE_URL=server.url):
        one, other = metrics.Store(), metrics.Store()  # as two gunicorn workers
        one.add({"x|": 2})
        other.add({"x|": 3, "y|": 0.5})
        other.flush()  # its thread does so every second; a scrape flushes the scraped process
        assert one.snapshot() == other.snapshot() == {"x|": 5.0, "y|": 0.5}
        server.stop()
        started = time.perf_counter()
        for _ in range(50):
            one.add({"x|": 1})
            one.flush()  # dropped, never raised
        assert time.perf_counter() - started < 1.0
        assert one.snapshot() == {}
