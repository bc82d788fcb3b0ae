"""Every route with a key, requested with keys that do not exist: 404 (problem+json from the
API), never 500. Each key is replaced on its own (the others real) and all of them at once, for
the public, a verified programme officer and a coordinator.

Where the written policy says the person may not use the route at all, the answer is the same
refusal as with a real key (403, or the sign-in page): a missing key tells them nothing more.
"""

import pytest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import matrix
from .test_permissions import ROUTES, client_for, make_samples, request, sample_values

MISSING = {
    "pk": "999999999",
    "item_pk": "999999999",
    "object_id": "999999999",
    "slug": "no-such-thing",
    "code": "9999",  # the form of a kommunkod, but none has it
    "name": "no-such-dataset",
    "object_type": "nothing.here",
    "uidb64": urlsafe_base64_encode(force_bytes(999999999)),
    "token": "0-nosuchtoken",
    "kind": "nothing",
    "exception_pk": "999999999",
    "side": "nobody",
    "key": "no-such-join-key",
    "activity_pk": "999999999",
    "filename": "no-such-file.pdf",
    "secret": "no-such-calendar-secret",
    "document_pk": "999999999",
    "statement_pk": "999999999",
    "indicator_pk": "999999999",
    "expenditure_pk": "999999999",
    "import_pk": "999999999",
    "fmt": "no-such-format",
}
WALKERS = [matrix.ANONYMOUS, matrix.OFFICER, matrix.COORDINATOR_OWN]
KEYED = [route for route in ROUTES if route.kwargs]


def variants(route, real: dict) -> list[dict]:
    """Each key missing on its own, then all of them."""
    single = [{**real, key: MISSING[key]} for key in route.kwargs]
    return single + ([{key: MISSING[key] for key in route.kwargs}] if len(route.kwargs) > 1 else [])


def answer_wanted(route, principal: str) -> str:
    want = matrix.expected(route.name, principal)
    return matrix.HIDDEN if want in (matrix.OK, matrix.HIDDEN) else want


@pytest.mark.django_db
@pytest.mark.parametrize("principal", WALKERS)
def test_keys_that_do_not_exist_are_404_never_500(principal):
    samples = make_samples()
    wrong, walked = [], 0
    for route in KEYED:
        want = answer_wanted(route, principal)
        for values in variants(route, sample_values(route, samples)):
            url, response = request(client_for(principal, samples), route, values)
            walked += 1
            got = matrix.outcome(response, url)
            if got != want:
                wrong.append(f"{url}: {response.status_code} ({got}), expected {want}")
            elif route.methods and got == matrix.HIDDEN:
                kind = response.get("Content-Type", "")
                if not kind.startswith("application/problem+json"):
                    wrong.append(f"{url}: a 404 that is not problem+json ({kind})")
    assert walked >= len(KEYED) > 30  # the walk really walked every keyed route
    assert wrong == []
