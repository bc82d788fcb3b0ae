"""Hand-written tables for the small pure pieces: which topics a keyword mentions, which
language a text is guessed to be in, a municipality's kind class, and the forms' own checks."""

import numpy as np
import pytest
from django.utils import translation

from partnernet.matchmaking import forms, meaning, topics
from partnernet.matchmaking.scoring import kind_class


@pytest.mark.parametrize(
    "keys,expected",
    [
        ({"dricksvatten"}, {"water"}),  # a compound containing a marker of 5+ letters
        ({"matavfall"}, {"waste"}),
        ({"avfallshantering"}, {"waste"}),
        ({"vodokanal"}, {"water"}),
        ({"krisberedskap"}, {"crisis"}),
        ({"skolor"}, {"education"}),  # a short marker as the start of the word
        ({"europa"}, {"eu"}),
        ({"museum"}, set()),  # "eu" is short: only at the start of a word, not inside
        ({"klimat"}, {"environment"}),
        ({"ungdomar"}, {"youth"}),
        ({"democracy"}, {"participation"}),
        ({"governance"}, {"governance"}),
        ({"economic", "business"}, {"economy"}),
        ({"digitalisering"}, {"digital"}),
        ({"waste", "water"}, {"waste", "water"}),
        ({"planering", "bibliotek"}, set()),
        (set(), set()),
    ],
)
def test_topics_mentioned_by_keywords(keys, expected):
    assert topics.detect(keys) == expected


def test_a_topic_is_named_in_the_readers_language_and_an_unknown_code_as_it_is():
    with translation.override("en"):
        assert topics.label("waste") == "waste management"
        assert topics.label("no-such-topic") == "no-such-topic"


def test_profile_keywords_read_every_language_and_the_priorities():
    keys = topics.profile_keywords({"sv": "", "en": "Water supply", "uk": ""}, "recycling")
    assert topics.detect(keys) == {"water", "waste"}
    assert topics.profile_keywords({"sv": "", "en": "", "uk": ""}) == set()


@pytest.mark.parametrize(
    "text,language",
    [
        ("Потрібна допомога з водопостачанням", "uk"),
        ("Вода", "uk"),
        ("Vi behöver hjälp", "sv"),  # a Swedish letter
        ("vatten och avlopp", "sv"),  # a Swedish word
        ("Falun kommun", "sv"),
        ("Water supply and waste", "en"),
        ("", "en"),
    ],
)
def test_the_language_of_a_text_is_guessed(text, language):
    assert meaning.guess_language(text) == language


def test_a_topic_vector_is_a_unit_vector_without_the_language_centre():
    centre = meaning.centroids()["sv"]
    assert meaning.topic_vector(None, "sv") is None
    # A text that is nothing but "Swedish" carries no topic at all.
    assert meaning.topic_vector(centre.copy(), "sv") is None
    shifted = meaning.topic_vector(centre + np.eye(len(centre), dtype=np.float32)[0], "sv")
    assert shifted is not None and float(np.linalg.norm(shifted)) == pytest.approx(1.0)
    assert float(shifted[0]) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(
    "kind,population,expected",
    [
        ("urban", None, 2),
        ("special_city", 5, 2),
        ("settlement", 1_000_000, 1),
        ("rural", 1_000_000, 0),
        ("kommun", 40_000, 2),
        ("kommun", 39_999, 1),
        ("kommun", 12_000, 1),
        ("kommun", 11_999, 0),
        ("kommun", None, -1),
        ("", None, -1),
    ],
)
def test_kind_class(kind, population, expected):
    assert kind_class(kind, population) == expected


# Forms ------------------------------------------------------------------------------------


PROFILE = {"text": "Water", "source_language": "en", "capacity": "1"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "excluded,codes",
    [
        ("", []),
        (" , ,", []),
        ("0191", ["0191"]),
        (" 0191 ,2080 ", ["0191", "2080"]),
        ("0191,0191", ["0191"]),
    ],
)
def test_excluded_codes_become_municipalities(excluded, codes):
    form = forms.ProfileForm({**PROFILE, "excluded": excluded})
    assert form.is_valid(), form.errors
    assert sorted(m.code for m in form.cleaned_data["excluded"]) == codes


@pytest.mark.django_db
def test_unknown_excluded_codes_are_named_in_capitals():
    with translation.override("en"):
        form = forms.ProfileForm({**PROFILE, "excluded": "0191, nope, x1"})
        assert not form.is_valid()
        assert form.errors["excluded"] == ["Unknown municipality codes: NOPE, X1"]


@pytest.mark.parametrize(
    "data,valid,field",
    [
        ({"side": "partner", "decision": "accept"}, True, None),
        ({"side": "swedish", "decision": "decline", "reason": "Too far"}, True, None),
        ({"side": "swedish", "decision": "decline"}, False, "reason"),
        ({"side": "swedish", "decision": "decline", "reason": "   "}, False, "reason"),
        ({"side": "both", "decision": "accept"}, False, "side"),
        ({"side": "partner", "decision": "perhaps"}, False, "decision"),
        ({"side": "partner", "decision": "accept", "reason": "x" * 2001}, False, "reason"),
    ],
)
def test_the_answer_form(data, valid, field):
    form = forms.RespondForm(data)
    assert form.is_valid() == valid
    if field:
        assert list(form.errors) == [field]


@pytest.mark.parametrize(
    "form_class,data,valid",
    [
        (forms.MoveForm, {"stage": "granted", "reason": "Granted"}, True),
        (forms.MoveForm, {"stage": "granted", "reason": "x" * 2001}, False),
        (forms.MoveForm, {"stage": "Granted", "reason": "r"}, False),
        (forms.ReorderForm, {"position": "1", "reason": "r"}, True),
        (forms.ReorderForm, {"position": "100000", "reason": "r"}, True),
        (forms.ReorderForm, {"position": "1.5", "reason": "r"}, False),
        (forms.ConfirmForm, {"side": "swedish"}, True),
        (forms.ConfirmForm, {"side": "partner "}, False),  # a choice is taken exactly
        (forms.ConfirmForm, {"side": "Swedish"}, False),
        (forms.ProposeForm, {"swedish": "0191", "partner": "x" * 33}, False),
    ],
)
def test_the_small_forms(form_class, data, valid):
    assert form_class(data).is_valid() == valid
