"""Whatever name a person's file has, the name kept is safe: one path part, no control or
reserved characters, no leading dot, at most 120 characters, an extension of the file's type;
and `inspect` accepts only the kinds it names, whatever bytes follow their signatures."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import event, given
from hypothesis import strategies as st

from partnernet.documents.files import EXTENSIONS, NAME_MAX, clean_name, inspect

TYPES = ["application/pdf", "image/png", ""]
names = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
    | st.sampled_from(["/", "\\", ".", "..", "\x00", "\x1f", " ", "Протокол", ".pdf"]),
    max_size=30,
).map("".join)


@pytest.mark.reaches("path or control characters", "plain name")
@given(name=names, kind=st.sampled_from(TYPES))
def test_a_cleaned_name_is_safe(name, kind):
    cleaned = clean_name(name, kind)
    dangerous = any(c in name for c in "/\\") or any(unicodedata.category(c) == "Cc" for c in name)
    event("path or control characters" if dangerous else "plain name")
    assert cleaned and len(cleaned) <= NAME_MAX
    assert not any(c in cleaned for c in '/\\<>:"|?*')
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert not cleaned.startswith((".", " "))
    if kind:
        assert cleaned.endswith(EXTENSIONS[kind])
    assert clean_name(cleaned, kind) == cleaned  # cleaning twice changes nothing


@pytest.mark.reaches("accepted", "refused")
@given(
    start=st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"MZ", b"PK\x03\x04", b"", b"x"]),
    rest=st.binary(max_size=300),
    end=st.sampled_from([b"", b"\n%%EOF\n"]),
)
def test_only_the_named_kinds_are_accepted(start, rest, end):
    try:
        found = inspect(io.BytesIO(start + rest + end), max_bytes=10_000)
    except ValidationError:
        event("refused")
        return
    event("accepted")
    assert found.content_type in ("application/pdf", "image/png")
    assert found.size == len(start + rest + end)
