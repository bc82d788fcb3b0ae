from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnernet.accounts.permissions import public
from partnernet.partnerships import selectors
from partnernet.partnerships.models import Network, Partnership


@public
@require_GET
def home(request):
    context = {
        "networks": selectors.network_public_list(),
        "newest": selectors.partnership_public_list().order_by("-published_at", "title")[:6],
    }
    return render(request, "catalogue/home.html", context)


@public
@require_GET
def partnership_list(request):
    partnerships = selectors.partnership_public_list().order_by("title")
    return render(request, "catalogue/partnership_list.html", {"partnerships": partnerships})


@public
@require_GET
def partnership_detail(request, slug: str):
    try:
        partnership = selectors.partnership_public_get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    return render(request, "catalogue/partnership_detail.html", {"partnership": partnership})


@public
@require_GET
def network_detail(request, slug: str):
    try:
        network = selectors.network_public_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    partnerships = selectors.partnership_public_list().filter(network=network)
    return render(request, "catalogue/network_detail.html",
                  {"network": network, "partnerships": partnerships})  # fmt: skip
