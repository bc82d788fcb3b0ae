"""The load drill's scenario (locust): public readers, coordinators autosaving their application
and their report, officers moving the queue and deciding applications.

Run by `python -m bench.loadtest` (`make loadtest`), which prepares the database, starts the
server and passes, in the environment, `LOADTEST_FIXTURES` (the JSON of `bench.loadtest.data`)
and `LOADTEST_RAW` (where this file writes every request's timing when locust quits).

Locust stands in for browsers behind the TLS-terminating proxy a production server sits behind:
each simulated person comes from an address of their own (`X-Forwarded-For`, trusted from the
loopback proxy), says the request came over HTTPS (`X-Forwarded-Proto`), and sends the cookies
the server marks Secure over the plain loopback connection. Requests are named by kind (what
locust prints); each request's own label goes with its timing into the raw file.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task

from bench.loadtest.scenario import LANGUAGES, ROUTES, SEARCHES, THINK_SECONDS, WEIGHTS

FIXTURES: dict = (
    json.loads(Path(os.environ["LOADTEST_FIXTURES"]).read_text())
    if os.environ.get("LOADTEST_FIXTURES")
    else {"partnerships": [], "coordinators": [], "officers": [], "queue_entries": []}
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECTION = re.compile(r'name="(\w+)_version" value="(\d+)"')
ERROR_MESSAGE = re.compile(r'class="message message-error"[^>]*>([^<]*)')
_addresses = itertools.count(1)
_accounts = {"coordinators": itertools.count(), "officers": itertools.count()}
_lock = threading.Lock()
RAW: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, context, **_kwargs):
    RAW.append(
        {
            "kind": name,
            "label": (context or {}).get("label", name),
            "ms": response_time,
            "error": str(exception) if exception else "",
            "at": time.time(),
        }
    )


SPAWNED: dict = {}


@events.spawning_complete.add_listener
def _spawned(user_count, **_kwargs):
    SPAWNED.setdefault("at", time.time())


@events.quitting.add_listener
def _write(environment, **_kwargs):
    if os.environ.get("LOADTEST_RAW"):
        Path(os.environ["LOADTEST_RAW"]).write_text(
            json.dumps({"spawned_at": SPAWNED.get("at"), "requests": RAW})
        )


def _next(pool: str) -> int:
    with _lock:
        return next(_accounts[pool])


class Visitor(HttpUser):
    abstract = True

    def on_start(self) -> None:
        number = next(_addresses)
        self.origin = "https://" + self.host.split("://", 1)[1].rstrip("/")
        self.client.headers.update(
            {
                "X-Forwarded-For": f"198.18.{number // 250}.{number % 250 + 1}",
                "X-Forwarded-Proto": "https",
            }
        )
        self.csrf = ""
        self.page = "/"

    def call(self, label: str, *, data=None, expect=(200,), headers=None, **values):
        """One request of the scenario by its label in `ROUTES`: named by its kind, failed
        unless its status is one of `expect`."""
        route = ROUTES[label]
        path = route.path(**values)
        sent = dict(headers or {})
        if route.method == "POST":
            sent |= {
                "Origin": self.origin,
                "Referer": self.origin + self.page,
                "X-CSRFToken": self.csrf,
            }
        with self.client.request(
            route.method,
            path,
            name=route.kind,
            data=data,
            headers=sent,
            allow_redirects=False,
            catch_response=True,
            context={"label": label},
        ) as response:
            for cookie in self.client.cookies:  # the TLS proxy's hop: Secure cookies go back too
                cookie.secure = False
            if response.status_code == 0:  # no answer: the connection failed or timed out
                response.failure(f"{label} {path}: {response.error!r}")
            elif response.status_code not in expect:
                response.failure(f"{label} {path}: {response.status_code}")
            elif response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
                found = CSRF.search(response.text)
                if found:
                    self.csrf = found.group(1)
                if route.method == "GET":
                    self.page = path
                refused = ERROR_MESSAGE.search(response.text)
                if refused:
                    response.failure(f"{label} {path}: {refused.group(1).strip()}")
        return response

    def sign_in(self, email: str, code: str = "") -> None:
        self.call("login page")
        response = self.call(
            "login",
            data={
                "email": email,
                "password": FIXTURES["password"],
                "csrfmiddlewaretoken": self.csrf,
            },
            expect=(302,),
        )
        if code and "/verify/" in response.headers.get("Location", ""):
            self.call(
                "verify", data={"token": code, "csrfmiddlewaretoken": self.csrf}, expect=(302,)
            )


class PublicReader(Visitor):
    """Someone reading the public site and the open API in one of the three languages."""

    weight = WEIGHTS["PublicReader"]
    wait_time = between(*THINK_SECONDS["PublicReader"])

    def on_start(self) -> None:
        super().on_start()
        self.lang = random.choice(LANGUAGES)
        self.client.headers["Accept-Language"] = self.lang

    def _slug(self) -> str:
        return random.choice(FIXTURES["partnerships"])

    @task(1)
    def home(self) -> None:
        self.call("home", lang=self.lang)

    @task(2)
    def catalogue(self) -> None:
        self.call("catalogue", lang=self.lang)

    @task(4)
    def search(self) -> None:
        lang = random.choice(LANGUAGES)
        self.call("search", lang=lang, q=random.choice(SEARCHES[lang]))

    @task(3)
    def partnership(self) -> None:
        self.call("partnership", lang=self.lang, slug=self._slug())

    @task(1)
    def map(self) -> None:
        self.call("map", lang=self.lang)

    @task(2)
    def api_list(self) -> None:
        self.call("api list", lang=self.lang)

    @task(2)
    def api_detail(self) -> None:
        self.call("api detail", slug=self._slug())


class Coordinator(Visitor):
    """A municipal coordinator writing their application and their report; the page autosaves
    a section some seconds after each pause in typing."""

    weight = WEIGHTS["Coordinator"]
    wait_time = between(*THINK_SECONDS["Coordinator"])
    FETCH = {"X-Requested-With": "fetch"}

    def on_start(self) -> None:
        super().on_start()
        accounts = FIXTURES["coordinators"]
        self.account = accounts[_next("coordinators") % len(accounts)]
        self.sign_in(self.account["email"])
        self.saves = 0
        self.application = self._sections("application page", pk=self.account["application"])
        self.report = self._sections(
            "report page", slug=self.account["partnership"], pk=self.account["report"]
        )

    def _sections(self, label: str, **values) -> dict[str, dict]:
        """Each section's version and base, as the page's form holds them."""
        text = self.call(label, lang="en", **values).text
        return {
            key: {
                "version": version,
                "base": re.search(rf'name="{key}_base" value="([^"]*)"', text).group(1),  # type: ignore[union-attr]
            }
            for key, version in SECTION.findall(text)
        }

    def _autosave(self, label: str, sections: dict[str, dict], **values) -> None:
        if not sections:
            return
        self.saves += 1
        key = random.choice(sorted(sections))
        lang = random.choice(LANGUAGES)
        text = f"Load-drill text {self.saves}: " + "demokrati, освіта, water. " * random.randint(
            4, 40
        )
        data = {
            f"{key}_{lang}": text,
            f"{key}_version": sections[key]["version"],
            f"{key}_base": sections[key]["base"],
            "csrfmiddlewaretoken": self.csrf,
        }
        response = self.call(label, lang="en", data=data, headers=self.FETCH, **values)
        if response.status_code == 200:
            for name, state in response.json().get("sections", {}).items():
                if name in sections and "version" in state:
                    sections[name] = {"version": state["version"], "base": state["base"]}

    @task(3)
    def application_autosave(self) -> None:
        self._autosave("application autosave", self.application, pk=self.account["application"])

    @task(2)
    def report_autosave(self) -> None:
        self._autosave(
            "report autosave",
            self.report,
            slug=self.account["partnership"],
            pk=self.account["report"],
        )

    @task(1)
    def reopen(self) -> None:
        self.application = self._sections("application page", pk=self.account["application"])


class Officer(Visitor):
    """A programme officer: reads the queue, moves a waiting municipality up and back down,
    and takes this run's applications through screening and review to a decision."""

    weight = WEIGHTS["Officer"]
    wait_time = between(*THINK_SECONDS["Officer"])

    def on_start(self) -> None:
        super().on_start()
        accounts = FIXTURES["officers"]
        self.account = accounts[_next("officers") % len(accounts)]
        self.sign_in(self.account["email"], self.account["code"])
        self.network = FIXTURES["network"]
        self.pending = list(self.account["applications"])
        self.up = True
        self.call("queue", lang="en", network=self.network)

    @task(3)
    def queue(self) -> None:
        self.call("queue", lang="en", network=self.network)

    @task(2)
    def reorder(self) -> None:
        entries = FIXTURES["queue_entries"]
        if not entries:
            return
        entry = random.choice(entries)
        self.call("queue entry", lang="en", network=self.network, pk=entry)
        position = 1 if self.up else len(entries)
        self.up = not self.up
        self.call(
            "queue reorder",
            lang="en",
            network=self.network,
            pk=entry,
            data={
                "position": position,
                "reason": "Load drill: moved up" if position == 1 else "Load drill: moved down",
                "csrfmiddlewaretoken": self.csrf,
            },
            expect=(302,),
        )
        self.call("queue entry", lang="en", network=self.network, pk=entry)

    @task(1)
    def decide(self) -> None:
        if not self.pending:
            return
        pk = self.pending.pop(0)
        self.call("officer application", lang="en", pk=pk)
        for action in ("screen", "start_review"):
            self.call(
                "application move",
                lang="en",
                pk=pk,
                data={"move-action": action, "csrfmiddlewaretoken": self.csrf},
                expect=(302,),
            )
        self.call(
            "application decision",
            lang="en",
            pk=pk,
            data={
                "decision-decision": "reject",
                "decision-reasons": "Load drill: the budget does not match the activities.",
                "decision-reasons_language": "en",
                "csrfmiddlewaretoken": self.csrf,
            },
            expect=(302,),
        )
        self.call("officer application", lang="en", pk=pk)
