"""Property-based fuzzing of every account form and of the API inputs: never a 500."""

import json

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from partnernet.accounts.models import User
from partnernet.accounts.services import password_set_path
from partnernet.accounts.urlcheck import walk

from ..testing import sign_in
from .factories import PASSWORD, UserFactory, officer
from .test_login import code_for

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text a browser could send: every Unicode character but lone surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
VALUE = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "",
            " ",
            "a@b.c",
            "officer@icld.example",
            "2080",
            "funder",
            "reviewer",
            "123456",
            "x" * 5000,
            "%00",
            "<script>",
        ]
    ),
)


def form(*names, **valid):
    """Any values for the fields; with `valid` strategies for some fields, also forms holding
    those (random values alone never make a form accept, so its success path went untested)."""
    anything = st.fixed_dictionaries({name: VALUE for name in names})
    if not valid:
        return anything
    return anything | st.fixed_dictionaries({name: valid.get(name, VALUE) for name in names})


def no_server_error(response, step: str = "status"):
    """Never a 500; the answer's status is an event (`step: 302`), so each fuzz test can name
    the answers it must reach (a form that refused every input would test only its refusal)."""
    assert response.status_code < 500, response.content[:500]
    event(step, str(response.status_code))


@pytest.mark.reaches("status: 302", "status: 400")
@FUZZ
@given(data=form("email", "password", "next"), own=st.booleans())
def test_login_form(client, data, own):
    if own:  # a real person's e-mail and password (random text never signs in), any `next`
        data = {**data, "email": UserFactory().email, "password": PASSWORD}
    no_server_error(client.post("/accounts/login/", data))


@pytest.mark.reaches("status: 302", "status: 400")
@FUZZ
@given(data=form("email"))
def test_password_reset_form(client, data):
    no_server_error(client.post("/accounts/password/reset/", data))


STRONG_PASSWORD = st.text("abcdefghijkmnopqrstuvwxyz0123456789#!", min_size=14, max_size=30)


@pytest.mark.reaches("form: 302", "form: 400", "link: 404")
@FUZZ
@given(
    data=form("password1", "password2")
    | STRONG_PASSWORD.map(lambda p: dict.fromkeys(("password1", "password2"), p)),
    uid=TEXT,
    token=TEXT,
)
def test_set_password_form_and_link(client, data, uid, token):
    person = User.objects.get(email="member@demo.example")
    no_server_error(client.post(password_set_path(user=person), data), "form")
    safe = "".join(c for c in uid + "/" + token if c.isalnum() or c in "-_/")[:100]
    no_server_error(client.get(f"/accounts/password/set/{safe}/"), "link")


@pytest.mark.reaches("status: 200", "status: 400")
@FUZZ
@given(
    data=form(
        "email",
        "full_name",
        "role",
        "organisation",
        email=st.integers(0, 10**6).map(lambda n: f"invitee{n}@example.org"),
        role=st.sampled_from(["reviewer", "municipal_coordinator", "project_member"]),
        organisation=st.sampled_from(["2080", "funder"]),
    )
)
def test_invitation_form(client, data):
    sign_in(client, User.objects.get(email="officer@icld.example"))
    response = client.post("/accounts/people/", data)
    no_server_error(response)
    assert response.status_code in (200, 400, 403)  # the form itself answered


@pytest.mark.reaches("status: 302", "status: 400")
@FUZZ
@given(
    data=form(
        "full_name", "preferred_language", preferred_language=st.sampled_from(["sv", "uk", "en"])
    )
)
def test_profile_form(client, data):
    client.force_login(User.objects.get(email="member@demo.example"))
    no_server_error(client.post("/accounts/", data))


@pytest.mark.reaches("enrol: 400", "verify: 302", "verify: 400")
@FUZZ
@given(data=form("token"), right=st.booleans())
def test_two_factor_forms(client, data, right):
    """Enrolling with a random code is refused; signing in is fuzzed with a code pending (a
    staff member with a device whose password was right), and sometimes the right code."""
    client.force_login(User.objects.get(email="reviewer@icld.example"))
    no_server_error(client.post("/accounts/2fa/", data), "enrol")
    staff = officer()
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    anonymous = Client()
    pending = anonymous.post("/accounts/login/", {"email": staff.email, "password": PASSWORD})
    assert pending["Location"] == "/accounts/login/verify/"
    token = {"token": code_for(device)} if right else data
    no_server_error(anonymous.post("/accounts/login/verify/", token), "verify")


@pytest.mark.reaches("status: 302", "status: 400")
@FUZZ
@given(data=form("confirm", "reason"))
def test_erase_form(client, data):
    sign_in(client, officer())
    response = client.post(f"/accounts/people/{UserFactory().pk}/erase/", data)
    no_server_error(response)
    assert response.status_code in (302, 400)  # erased, or the form's errors


API_GETS = sorted(
    {
        r.path({k: "falun-kolomyia" for k in r.kwargs})
        for r in walk()
        if r.route.startswith("api/v1/") and "GET" in r.methods
    }
)
API_WRITES = sorted(
    {
        (r.path({k: "falun-kolomyia" for k in r.kwargs}), m)
        for r in walk()
        for m in r.methods
        if r.route.startswith("api/v1/") and m != "GET"
    }
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


@pytest.mark.reaches("status: 200", "status: 400", "status: 422")
@pytest.mark.skipif(not API_GETS, reason="no API operations yet")
@FUZZ
@given(
    url=st.sampled_from(API_GETS or ["/"]),
    params=st.dictionaries(
        st.sampled_from(
            ["q", "page", "page_size", "lang", "country", "sdg", "limit", "offset", "phase", "sort"]
        ),
        VALUE,
        max_size=4,
    ),
)
def test_api_query_parameters(client, url, params):
    no_server_error(client.get(url, params))


@pytest.mark.reaches("json: 400", "json: 422", "text: 400", "text: 422")
@pytest.mark.skipif(not API_WRITES, reason="no API write operations yet")
@FUZZ
@given(
    target=st.sampled_from(API_WRITES or [("/", "POST")]),
    body=JSON,
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_api_bodies(client, target, body, raw):
    url, method = target
    client.force_login(User.objects.get(email="falun@demo.example"))
    payload = raw if raw is not None else json.dumps(body)
    no_server_error(client.generic(method, url, payload, content_type="application/json"), "json")
    no_server_error(client.generic(method, url, payload, content_type="text/plain"), "text")
