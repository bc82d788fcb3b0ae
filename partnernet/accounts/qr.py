"""QR codes for authenticator apps, as data: URIs (the CSP allows img-src data:)."""

import segno


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
