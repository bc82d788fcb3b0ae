"""Text rules shared by every search and form: transliteration (the 2010 national system),
folding, loose keys and input cleaning. Expected spellings are written out by hand."""

import unicodedata

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from partnernet.lib.text import clean_input, fold, loose, strip_diacritics
from partnernet.lib.translit import has_cyrillic, translit

# Resolution No. 55 of 27 January 2010, including the examples it gives itself.
OFFICIAL = [
    ("Алушта", "Alushta"),
    ("Борщагівка", "Borshchahivka"),
    ("Вінниця", "Vinnytsia"),
    ("Гадяч", "Hadiach"),
    ("Згорани", "Zghorany"),  # зг is zgh
    ("Розгон", "Rozghon"),
    ("Ґалаґан", "Galagan"),
    ("Дон", "Don"),
    ("Рівне", "Rivne"),
    ("Єнакієве", "Yenakiieve"),  # є: ye at the start, ie inside
    ("Гайсин", "Haisyn"),
    ("Житомир", "Zhytomyr"),
    ("Закарпаття", "Zakarpattia"),
    ("Медвин", "Medvyn"),
    ("Іршава", "Irshava"),
    ("Їжакевич", "Yizhakevych"),  # ї: yi at the start, i inside
    ("Кадиївка", "Kadyivka"),
    ("Йосипівка", "Yosypivka"),  # й: y at the start, i inside
    ("Стрий", "Stryi"),
    ("Київ", "Kyiv"),
    ("Лебедин", "Lebedyn"),
    ("Миколаїв", "Mykolaiv"),
    ("Ніжин", "Nizhyn"),
    ("Одеса", "Odesa"),
    ("Полтава", "Poltava"),
    ("Ромни", "Romny"),
    ("Суми", "Sumy"),
    ("Тетерів", "Teteriv"),
    ("Ужгород", "Uzhhorod"),
    ("Фастів", "Fastiv"),
    ("Харків", "Kharkiv"),
    ("Біла Церква", "Bila Tserkva"),
    ("Чернівці", "Chernivtsi"),
    ("Шостка", "Shostka"),
    ("Гоща", "Hoshcha"),
    ("Русь", "Rus"),  # the soft sign is dropped
    ("Юрій", "Yurii"),  # ю: yu at the start, iu inside
    ("Крюківка", "Kriukivka"),
    ("Яготин", "Yahotyn"),
    ("Ічня", "Ichnia"),
    ("Знам'янка", "Znamianka"),  # the apostrophe is dropped
    ("Слов’янськ", "Sloviansk"),  # typographic apostrophe
    ("Кам\u02bcянець-Подільський", "Kamianets-Podilskyi"),  # modifier apostrophe; hyphen
    ("Хмельницький", "Khmelnytskyi"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), OFFICIAL)
def test_the_national_transliteration(cyrillic, latin):
    assert translit(cyrillic) == latin


def test_a_word_starts_after_any_character_that_is_not_a_letter():
    assert translit("Нова Ятрань") == "Nova Yatran"
    assert translit("(Єнакієве)") == "(Yenakiieve)"
    assert translit("село-Йосипівка") == "selo-Yosypivka"
    assert translit("1Яготин") == "1Yahotyn"  # a digit is not a letter


def test_russian_letters_typed_on_a_russian_layout_are_read_too():
    assert translit("Киев") == "Kyev"  # и is read as the Ukrainian letter
    assert translit("Объект") == "Obekt"
    assert translit("Эра") == "Era"


def test_latin_and_other_scripts_pass_through():
    assert translit("Umeå 2024 – Ω") == "Umeå 2024 – Ω"
    assert translit("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Херсон", True), ("Kherson", False), ("Umeå", False), ("x ї", True), ("", False)],
)
def test_has_cyrillic(text, expected):
    assert has_cyrillic(text) is expected


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Umeå", "umea"),
        ("VÄXJÖ", "vaxjo"),
        ("Lidingö", "lidingo"),
        ("Херсон", "kherson"),
        ("KHERSON", "kherson"),
        ("Kamianets-Podilskyi", "kamianets podilskyi"),
        ("  Upplands   Väsby ", "upplands vasby"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("Łódź", "lodz"),
        ("Zürich", "zurich"),
        ("ﬁnal", "final"),  # a ligature decomposes
        ("Umea\u030a", "umea"),  # a combining ring
        ("O'Brien & Co.", "obrien co"),  # the apostrophe is dropped, as in Ukrainian
        ("!!!", ""),
        ("", ""),
    ],
)
def test_fold_lowers_transliterates_and_strips_diacritics(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kolomyja", "Kolomyia"),  # y/i/j
        ("Cherson", "Kherson"),  # ch/kh
        ("Herson", "Херсон"),
        ("Tschernihiw", "Tjernihiv"),  # German tsch, w
        ("Odessa", "Odesa"),  # doubled letters
        ("Charkiv", "Kharkiv"),
        ("Philipp", "Filip"),
        ("Jerevan", "Yerevan"),
    ],
)
def test_loose_keys_merge_spellings_of_one_name(a, b):
    assert loose(a) == loose(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kalush", "Kolomyia"), ("Falun", "Malmö"), ("Sumy", "Rivne"), ("Kyiv", "Kiev")],
)
def test_loose_keys_keep_different_names_apart(a, b):
    assert loose(a) != loose(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Falun  ", "Falun"),
        ("Fa\x00lun", "Falun"),  # NUL
        ("a\x1bb", "ab"),  # escape
        ("a\x7fb", "ab"),  # delete
        ("a\u200bb", "ab"),  # zero-width space (a format character)
        ("a\u202eb", "ab"),  # right-to-left override
        ("a\ufeffb", "ab"),  # byte order mark
        ("a\ud800b", "ab"),  # a lone surrogate
        ("a\tb\nc", "a\tb\nc"),  # tabs and line breaks are text
        ("a\rb", "ab"),  # a carriage return is not
        ("\n\tFalun\n", "Falun"),
        ("Umeå – Херсон", "Umeå – Херсон"),
        ("", ""),
    ],
)
def test_clean_input_drops_control_characters(text, expected):
    assert clean_input(text) == expected


def test_clean_input_trims_what_the_cut_leaves():
    assert clean_input("ab c", 3) == "ab"
    assert clean_input("a\x00 b", 2) == "a"


def test_clean_input_caps_the_length_after_trimming():
    assert clean_input("x" * 300) == "x" * 200
    assert clean_input("   " + "x" * 10, 5) == "xxxxx"
    assert clean_input("ab\x00" * 10, 4) == "abab"
    assert clean_input("Херсон", 3) == "Хер"


def test_strip_diacritics_keeps_base_letters_and_cyrillic():
    assert strip_diacritics("Åäöéñ") == "Aaoen"
    assert strip_diacritics("Їжак") == "Іжак"  # ї is і with a diaeresis
    assert strip_diacritics("й") == "и"


@pytest.mark.reaches("empty", "words")
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_folded_text_is_plain_lower_ascii_words(text):
    folded = fold(text)
    event("empty" if not folded else "words")
    assert folded == folded.strip() and "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)
    assert folded == folded.lower()
    assert fold(folded) == folded  # folding twice changes nothing
    assert " " not in loose(text) or " " in folded


@pytest.mark.reaches("changed", "unchanged")
@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
    | st.text(alphabet=" \t\nab\x00\x1b\u200b", max_size=20),
    st.integers(0, 250) | st.integers(0, 8),
)
def test_cleaned_input_has_no_control_characters_and_respects_the_limit(text, limit):
    cleaned = clean_input(text, limit)
    assume(text.strip())
    event("changed" if cleaned != text else "unchanged")
    assert len(cleaned) <= limit
    assert all(ch in "\t\n" or unicodedata.category(ch)[0] != "C" for ch in cleaned)
    assert cleaned == cleaned.strip()  # cut, then trimmed again
    assert clean_input(cleaned, limit) == cleaned


@pytest.mark.reaches("with a soft sign or apostrophe", "letters only")
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'", min_size=1, max_size=30))
def test_ukrainian_words_always_become_latin(word):
    latin = translit(word)
    assume(latin)  # a word of only soft signs and apostrophes has no letters left
    event("with a soft sign or apostrophe" if set("ь'") & set(word) else "letters only")
    assert not has_cyrillic(latin) and latin.isascii() and latin.isalpha()
