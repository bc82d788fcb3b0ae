"""A coordinator's own partnerships (session or personal token): read everything, edit texts.

Lost updates: every answer about one partnership carries an ETag of what it shows; a PATCH
with `If-Match` (that ETag, or `*`) is applied only if the partnership still looks like that,
else 412 with the current ETag (read again, merge, retry). `If-Match` is optional, so scripts
written before it keep working; send it whenever more than one person or script edits.
"""

import hashlib
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router

from partnernet.accounts.permissions import Perm, authenticated, requires
from partnernet.partnerships.models import Partnership

from . import present, services
from .auth import SessionUserAuth, TokenAuth
from .endpoints import base_url
from .problems import LANGUAGES, problem, request_language
from .schemas import LanguageParam, OwnPartnership, PathSlug, TextsPatch
from .selectors import coordinated_partnerships, partnership_for_user

router = Router(tags=["own partnerships"], auth=[TokenAuth(), SessionUserAuth()])


def _get(request, slug: str):
    return partnership_for_user(user=request.auth, slug=slug)


def etag(partnership: Partnership, lang: str, root: str) -> str:
    """A strong validator of what the partnership's answer in `lang` shows."""
    shown = json.dumps(
        present.own_partnership(partnership, lang, root),
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return '"' + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest() + '"'


def if_match_holds(header: str | None, current: set[str]) -> bool:
    """RFC 9110 If-Match: absent or `*` holds; else one listed strong tag must be current
    (a weak tag `W/"…"` never matches)."""
    if header is None:
        return True
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    return "*" in tags or bool(set(tags) & current)


IF_MATCH_DOC = {
    "responses": {
        412: {
            "description": "If-Match did not match: the partnership changed since you read it. "
            "The answer's ETag is the current one.",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    }
}


@router.get("/partnerships", response=list[OwnPartnership], summary="Partnerships you coordinate")
@authenticated  # the list holds only what the person edits: empty for everyone else
def own_partnerships_list(request, params: Query[LanguageParam]):
    lang, root = request_language(request), base_url(request)
    return [
        present.own_partnership(p, lang, root) for p in coordinated_partnerships(user=request.auth)
    ]


@router.get(
    "/partnerships/{slug}", response=OwnPartnership, summary="One partnership you coordinate"
)
@requires(Perm.PARTNERSHIP_EDIT)
def own_partnership_detail(
    request, slug: PathSlug, params: Query[LanguageParam], response: HttpResponse
):
    lang, root = request_language(request), base_url(request)
    partnership = _get(request, slug)
    response["ETag"] = etag(partnership, lang, root)
    return present.own_partnership(partnership, lang, root)


@router.patch(
    "/partnerships/{slug}",
    response=OwnPartnership,
    summary="Change the summary or description of one language version",
    description="Send the ETag of your last read in `If-Match`: if someone changed the "
    "partnership since, nothing is changed and the answer is 412 with the current ETag. "
    "Without `If-Match` the change is applied as it is (the last writer wins).",
    openapi_extra=IF_MATCH_DOC,
)
@requires(Perm.PARTNERSHIP_EDIT)
def own_partnership_update(
    request,
    slug: PathSlug,
    body: TextsPatch,
    response: HttpResponse,
    if_match: str | None = Header(
        None, alias="If-Match", description="The ETag of the version your change is based on."
    ),
):
    root = base_url(request)

    def unchanged_since_read(_locked: Partnership) -> bool:
        fresh = _get(request, slug)
        return if_match_holds(if_match, {etag(fresh, lang, root) for lang in LANGUAGES})

    try:
        partnership = services.partnership_texts_update(
            actor=request.auth,
            partnership=_get(request, slug),
            language=body.language,
            texts={"summary": body.summary, "description": body.description},
            precondition=unchanged_since_read,
        )
    except services.PreconditionFailed:
        refused = problem(
            request,
            412,
            _("Precondition failed"),
            _(
                "The partnership changed since you read it, so your change was not applied. "
                "Read it again, merge your change, and send the new ETag in If-Match."
            ),
        )
        refused["ETag"] = etag(_get(request, slug), body.language, root)
        return refused
    current = _get(request, partnership.slug)
    response["ETag"] = etag(current, body.language, root)
    return present.own_partnership(current, body.language, root)
