from django.conf import settings


def site(request) -> dict:
    return {
        "VERSION": settings.VERSION,
        "LANGUAGE_CODES": settings.LANGUAGE_CODES,
        "QUEUE_NETWORK": settings.QUEUE_NETWORK,
    }
