"""A coordinator's own partnerships (session or personal token): read everything, edit texts."""

from ninja import Query, Router

from partnernet.accounts.permissions import Perm, authenticated, requires

from . import present, services
from .api import SessionUserAuth, TokenAuth
from .endpoints import base_url
from .problems import request_language
from .schemas import LanguageParam, OwnPartnership, PathSlug, TextsPatch
from .selectors import coordinated_partnerships, partnership_for_user

router = Router(tags=["own partnerships"], auth=[TokenAuth(), SessionUserAuth()])


def _get(request, slug: str):
    return partnership_for_user(user=request.auth, slug=slug)


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
def own_partnership_detail(request, slug: PathSlug, params: Query[LanguageParam]):
    return present.own_partnership(
        _get(request, slug), request_language(request), base_url(request)
    )


@router.patch(
    "/partnerships/{slug}",
    response=OwnPartnership,
    summary="Change the summary or description of one language version",
)
@requires(Perm.PARTNERSHIP_EDIT)
def own_partnership_update(request, slug: PathSlug, body: TextsPatch):
    partnership = services.partnership_texts_update(
        actor=request.auth,
        partnership=_get(request, slug),
        language=body.language,
        texts={"summary": body.summary, "description": body.description},
    )
    return present.own_partnership(
        _get(request, partnership.slug), body.language, base_url(request)
    )
