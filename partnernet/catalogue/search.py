"""Pure functions of catalogue search: documents, queries, scoring and highlighting.

Nothing here touches the database, so the same tokens are stored and asked for on SQLite and
PostgreSQL, and ranking is identical on both.

Lexical matching works on tokens: every text is cut into words, and each word is stored (and
asked for) in its base forms for Swedish, English and Ukrainian (`partnernet.lib.lemmas`) plus
its folded and loose spellings (`partnernet.lib.text`). A query word matches when any of its
forms is a token of the document; every query word must match (AND), so adding a word narrows.
A document's compound words are also stored as their parts (`partnernet.lib.compounds`:
hyphenated words, Swedish compounds), and a hyphenated query word asks for each of its parts,
so "gender", "gender equal" and "gender-equal" all find "Gender-equal planning", and
"vatten" finds "vattenförsörjning".
"""

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from partnernet.lib import compounds
from partnernet.lib.languages import LANGUAGES
from partnernet.lib.lemmas import STOPWORDS, keywords, words
from partnernet.lib.text import fold, loose

MAX_QUERY_WORDS = 8
# Calibrated on the seed network with multilingual-e5-small: cosine values of unrelated texts lie
# between 0.70 and 0.80, a query on a text's topic reaches 0.81-0.88 on it. A partnership is a
# semantic hit when it is within MARGIN of the best hit and above FLOOR.
SEMANTIC_FLOOR = 0.80
SEMANTIC_MARGIN = 0.02
SEMANTIC_LIMIT = 100  # meaning alone never brings more than this many results
# Lexical hits always come before semantic-only hits: a lexical hit adds at least this much,
# more than any cosine difference (at most 2) can make up.
LEXICAL_WEIGHT = 3.0


def word_forms(word: str) -> set[str]:
    """Every token a word may be stored as: base forms in three languages, folded, loose."""
    forms = {k for language in LANGUAGES for k in keywords(word, language)}
    forms |= {fold(word).replace(" ", ""), loose(word).replace(" ", "")}
    return {f for f in forms if f}


def text_tokens(text: str, language: str) -> set[str]:
    """Tokens of a text written in `language`: its words' base forms and folded spellings,
    and those of the parts of its compound words."""
    tokens = set(keywords(text, language))
    for word in words(text):
        tokens.add(fold(word).replace(" ", ""))
        for part in compounds.parts(word, language):
            tokens.update(keywords(part, language))
            tokens.add(fold(part).replace(" ", ""))
    return {t for t in tokens if t}


def name_tokens(spellings: Iterable[str]) -> set[str]:
    """Tokens of names in every spelling: each word folded and loose, and each name joined."""
    tokens: set[str] = set()
    for name in spellings:
        for key in (fold(name), loose(name)):
            tokens.update(key.split())
            tokens.add(key.replace(" ", ""))
    return {t for t in tokens if t}


def spellings_from_search_text(search_text: str) -> list[str]:
    """`Municipality.search_text` is `|spelling|spelling|`: the spellings themselves."""
    return [s for s in search_text.split("|") if s]


def join_tokens(tokens: Iterable[str]) -> str:
    return " ".join(sorted(set(tokens)))


def query_groups(q: str) -> list[list[str]]:
    """One group of alternative tokens per content word of the query (stop words dropped)."""
    pieces = [
        p for w in words(q) for p in (compounds.hyphen_parts(w) or (w,))
    ]  # gender-equal: both
    all_words = [w for w in dict.fromkeys(pieces) if len(w) >= 2][:MAX_QUERY_WORDS]
    content = [w for w in all_words if not any(w in STOPWORDS[lang] for lang in LANGUAGES)]
    forms = [word_forms(w) for w in (content or all_words)]
    return [sorted(f) for f in forms if f]


def tsquery(groups: Sequence[Sequence[str]]) -> str:
    """PostgreSQL `to_tsquery('simple', …)` text; tokens are [a-z0-9]+ so need no quoting.
    The same text asks the names' own index (`search_index.lexical_arrays`)."""
    return " & ".join("(" + " | ".join(group) + ")" for group in groups)


def fts5_query(groups: Sequence[Sequence[str]], names_only: bool = False) -> str:
    """SQLite FTS5 MATCH text with the same meaning as `tsquery`."""
    prefix = "names : " if names_only else ""
    return " AND ".join(
        "(" + prefix + "(" + " OR ".join(f'"{t}"' for t in group) + "))" for group in groups
    )


def combined_score(*, lexical: int, cosine: float | None) -> float:
    """The one ranking function of search.

    `lexical` is 2 when every query word is found in the names (title, partners, tags, area),
    1 when found in the texts, 0 when not found; `cosine` is the similarity of the query's and
    the partnership's embeddings (None without embeddings). Lexical hits come first (names
    before texts), and within each level the closer meaning ranks higher.
    """
    return LEXICAL_WEIGHT * lexical + (cosine if cosine is not None else 0.0)


def semantic_threshold(best: float) -> float:
    """The least cosine a semantic-only hit needs, relative to the best hit of this query."""
    return max(SEMANTIC_FLOOR, best - SEMANTIC_MARGIN)


def semantic_rows(cosines: np.ndarray, limit: int = SEMANTIC_LIMIT) -> np.ndarray:
    """Indexes of the semantic hits: above the threshold, at most `limit`, best first."""
    if not len(cosines):
        return np.zeros(0, dtype=np.int64)
    threshold = semantic_threshold(float(cosines.max()))
    above = np.flatnonzero(cosines >= threshold)
    if len(above) > limit:
        above = above[np.argsort(-cosines[above], kind="stable")[:limit]]
    return above


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*", re.UNICODE)


@functools.lru_cache(maxsize=8192)
def _shown_forms(word: str, language: str) -> frozenset[str]:
    """The tokens a word shown on a page matches. Cached: the words of a page's titles and
    summaries repeat from query to query, and analysing them afresh was a fifth of a text
    search's time (25 ms for a page of 20 at 10 000 partnerships)."""
    forms = set(keywords(word, language)) | {fold(word).replace(" ", "")}
    forms |= {loose(word).replace(" ", "")}
    for part in compounds.parts(word, language):
        forms |= set(keywords(part, language)) | {fold(part).replace(" ", "")}
    return frozenset(forms)


def highlight(text: str, groups: Sequence[Sequence[str]], language: str) -> SafeString:
    """`text` escaped, with the words that match the query wrapped in <mark>."""
    wanted = {t for group in groups for t in group}
    if not wanted or not text:
        return escape(text)
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if _shown_forms(word, language) & wanted:
            parts += [escape(text[last : match.start()]), "<mark>", escape(word), "</mark>"]
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece above was escaped
