"""What the load drill requests: each request's label, its kind (the name locust reports it
under), its method, its path template and the Django route it must reach. The locustfile builds
every URL from `ROUTES`, and a test resolves each template with Django's resolver, so renaming a
route breaks that test rather than the drill. No Django and no locust imports here."""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC, AUTOSAVE, OFFICER = "public read", "autosave", "officer"
# Also reported, without a goal: signing in, and the pages a coordinator opens to write.
SIGN_IN, WRITER_PAGE = "sign in", "writer page"
KINDS = (PUBLIC, AUTOSAVE, OFFICER, WRITER_PAGE, SIGN_IN)
# The goals of issue 15 on a 2-core machine: p95 in milliseconds per kind, and no error at all.
GOALS_P95_MS = {PUBLIC: 200.0, AUTOSAVE: 300.0}
LANGUAGES = ("sv", "uk", "en")
# How locust shares the users out among the three kinds of people (`locustfile`).
WEIGHTS = {"PublicReader": 6, "Coordinator": 3, "Officer": 1}
# Each person's pause between two steps, in seconds (locust's `between`): a reader reads the
# page; a writer's page autosaves 2 s after a pause in typing (grants/static/autosave.js); an
# officer reads what they decide on.
THINK_SECONDS = {"PublicReader": (2, 6), "Coordinator": (3, 6), "Officer": (3, 8)}
# Real searches, as people type them, in each language.
SEARCHES = {
    "sv": ["vattenförsörjning", "skola demokrati", "krisberedskap", "avfall", "Kolomyia"],
    "uk": ["водопостачання", "освіти", "молоді", "туризм", "Херсон"],
    "en": ["water", "education", "energy efficiency", "youth participation", "budget"],
}


@dataclass(frozen=True)
class Route:
    label: str
    kind: str
    method: str
    template: str
    view: str  # the resolved view name (`namespace:name`)

    def path(self, **values: object) -> str:
        return self.template.format(**values)


_ROUTES = [
    Route("home", PUBLIC, "GET", "/{lang}/", "catalogue:home"),
    Route("catalogue", PUBLIC, "GET", "/{lang}/partnerships/", "catalogue:partnerships"),
    Route("search", PUBLIC, "GET", "/{lang}/partnerships/?q={q}", "catalogue:partnerships"),
    Route("partnership", PUBLIC, "GET", "/{lang}/partnerships/{slug}/", "catalogue:partnership"),
    Route("map", PUBLIC, "GET", "/{lang}/map/", "catalogue:map"),
    Route(
        "api list", PUBLIC, "GET", "/api/v1/partnerships?lang={lang}", "api-v1:partnerships_list"
    ),
    Route("api detail", PUBLIC, "GET", "/api/v1/partnerships/{slug}", "api-v1:partnership_detail"),
    Route("login page", SIGN_IN, "GET", "/accounts/login/", "accounts:login"),
    Route("login", SIGN_IN, "POST", "/accounts/login/", "accounts:login"),
    Route("verify", SIGN_IN, "POST", "/accounts/login/verify/", "accounts:login_verify"),
    Route(
        "application page",
        WRITER_PAGE,
        "GET",
        "/{lang}/grants/applications/{pk}/",
        "grants:application",
    ),
    Route(
        "application autosave",
        AUTOSAVE,
        "POST",
        "/{lang}/grants/applications/{pk}/autosave/",
        "grants:autosave",
    ),
    Route(
        "report page",
        WRITER_PAGE,
        "GET",
        "/{lang}/partnerships/{slug}/work/reports/{pk}/",
        "reports:detail",
    ),
    Route(
        "report autosave",
        AUTOSAVE,
        "POST",
        "/{lang}/partnerships/{slug}/work/reports/{pk}/save/",
        "reports:save",
    ),
    Route("queue", OFFICER, "GET", "/{lang}/queue/{network}/", "matchmaking:queue"),
    Route(
        "queue reorder",
        OFFICER,
        "POST",
        "/{lang}/queue/{network}/entries/{pk}/reorder/",
        "matchmaking:reorder",
    ),
    Route(
        "queue entry", OFFICER, "GET", "/{lang}/queue/{network}/entries/{pk}/", "matchmaking:entry"
    ),
    Route(
        "officer application",
        OFFICER,
        "GET",
        "/{lang}/grants/applications/{pk}/",
        "grants:application",
    ),
    Route(
        "application move", OFFICER, "POST", "/{lang}/grants/applications/{pk}/move/", "grants:move"
    ),
    Route(
        "application decision",
        OFFICER,
        "POST",
        "/{lang}/grants/applications/{pk}/decision/",
        "grants:decide",
    ),
]
ROUTES = {route.label: route for route in _ROUTES}
