"""A sentence as words with their place in what was typed, and the phrases of the vocabulary
found in it.

Words are compared lower-cased with å/ä/ö folded (storage.swedish_text); each keeps its span
in the original text, so the note is cut from what the coordinator wrote, as written. A
phrase word of five letters or more also matches with one letter wrong, missing, extra or
two letters swapped ("rignde", "trafade").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.sentence_words import CLAUSE_WORDS, EXACT_ONLY, FILLERS, VOCABULARY
from storage.swedish_text import SWEDISH_FOLD

Meaning = tuple[str, str]

_TOKEN = re.compile(
    r"\d{6}(?:\d{2})?[-+]\d{4}"  # a personnummer with its dash
    r"|\d+(?:[-/.:]\d+)*"  # numbers, dates and times: 12, 15/3, 2026-03-15, 14:30
    r"|[^\W\d_]+(?:[-:][^\W\d_]+)*"  # words, with sms:ade and e-post kept whole
    r"|[#%]"
)
_CLAUSE_END = re.compile(r"[,.;:!?\n()\-–—]")
_FUZZY_LENGTH = 5
_NEGATIONS = frozenset({"inte", "ej", "aldrig"})


@dataclass
class Word:
    text: str  # folded and lower-cased
    start: int
    end: int
    clause: int
    capitalised: bool
    taken: bool = False


@dataclass(frozen=True)
class Found:
    """A phrase of the vocabulary found at words[first:last]."""

    first: int
    last: int
    meanings: tuple[Meaning, ...]
    clause: int

    def means(self, field: str, value: str | None = None) -> bool:
        return any(f == field and (value is None or v == value) for f, v in self.meanings)

    def value(self, field: str) -> str | None:
        return next((v for f, v in self.meanings if f == field), None)


def fold(text: str) -> str:
    """Lower case and å/ä/ö folded, one character for one, so spans stay valid."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ")
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(SWEDISH_FOLD)


def words_of(text: str) -> list[Word]:
    folded = fold(text)
    words: list[Word] = []
    clause = 0
    position = 0
    for match in _TOKEN.finditer(folded):
        if _CLAUSE_END.search(folded, position, match.start()):
            clause += 1
        word = match.group()
        if word in CLAUSE_WORDS and words:
            clause += 1
        words.append(Word(word, match.start(), match.end(), clause, text[match.start()].isupper()))
        position = match.end()
    return words


class Span(Protocol):
    @property
    def first(self) -> int: ...

    @property
    def last(self) -> int: ...


S = TypeVar("S", bound=Span)


def scan(words: list[Word], match_at: Callable[[int], S | None]) -> list[S]:
    """What `match_at` finds in reading order, each match's words taken before the next."""
    found: list[S] = []
    index = 0
    while index < len(words):
        match = match_at(index)
        if match is None:
            index += 1
            continue
        for word in words[match.first : match.last]:
            word.taken = True
        found.append(match)
        index = match.last
    return found


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    meanings: tuple[Meaning, ...]
    typos_allowed: bool


class _Vocabulary:
    """The phrases by their first word, longest first."""

    def __init__(self) -> None:
        meanings: dict[tuple[str, ...], list[Meaning]] = {}
        for meaning, phrases in VOCABULARY.items():
            for phrase in phrases:
                words = tuple(word.text for word in words_of(phrase))
                meanings.setdefault(words, []).append(meaning)
        self.by_first: dict[str, list[_Phrase]] = {}
        for words, found in sorted(meanings.items(), key=lambda item: -len(item[0])):
            phrase = _Phrase(words, tuple(found), not EXACT_ONLY.intersection(found))
            self.by_first.setdefault(words[0], []).append(phrase)
        self.words = frozenset(word for words in meanings for word in words)
        self._typo_firsts = [
            first
            for first, phrases in self.by_first.items()
            if len(first) >= _FUZZY_LENGTH and any(p.typos_allowed for p in phrases)
        ]

    def starting(self, word: str) -> list[_Phrase]:
        """The phrases that may start with the word: as written, or one typo away."""
        phrases = list(self.by_first.get(word, ()))
        if len(word) >= _FUZZY_LENGTH:
            near = process.extract(
                word, self._typo_firsts, scorer=OSA.distance, score_cutoff=1, limit=None
            )
            phrases += [p for first, typos, _ in near if typos for p in self.by_first[first]]
        return sorted(phrases, key=lambda phrase: -len(phrase.words))


@cache
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


def vocabulary_words() -> frozenset[str]:
    return _vocabulary().words


def _same(word: str, pattern: str, typos_allowed: bool) -> int | None:
    """0 when equal, 1 when one typo apart (long words only), None otherwise."""
    if word == pattern:
        return 0
    long_enough = min(len(word), len(pattern)) >= _FUZZY_LENGTH
    if typos_allowed and long_enough and OSA.distance(word, pattern) <= 1:
        return 1
    return None


def _match_at(words: list[Word], index: int) -> Found | None:
    """The longest phrase starting at words[index] (over untaken words), fewest typos first."""
    best: tuple[int, int, Found] | None = None
    for phrase in _vocabulary().starting(words[index].text):
        length = len(phrase.words)
        if best is not None and length < best[0]:
            break
        end = index + length
        if end > len(words) or any(word.taken for word in words[index:end]):
            continue
        typos = 0
        for word, pattern in zip(words[index:end], phrase.words, strict=True):
            typo = _same(word.text, pattern, phrase.typos_allowed)
            if typo is None:
                break
            typos += typo
        else:
            if typos <= 1 and (best is None or typos < best[1]):
                best = (length, typos, Found(index, end, phrase.meanings, words[index].clause))
    return best[2] if best else None


def find_phrases(words: list[Word]) -> list[Found]:
    """The vocabulary's phrases in reading order; each word belongs to at most one.

    A "reached" meaning next to a negation ("träffade inte", "inte svarade") turns into
    "not reached", and the negation is part of the phrase.
    """

    def at(index: int) -> Found | None:
        match = _match_at(words, index)
        return _negated(words, match) if match is not None else None

    return scan(words, at)


def _negated(words: list[Word], match: Found) -> Found:
    if not (match.means("outcome", "nadd") or match.means("reached", "nadd")):
        return match
    before = match.first - 1
    after = match.last
    if after < len(words) and not words[after].taken and words[after].text in _NEGATIONS:
        return _not_reached(match, match.first, after + 1, match.clause)
    if before >= 0 and not words[before].taken and words[before].text in _NEGATIONS:
        return _not_reached(match, before, match.last, words[before].clause)
    return match


def _not_reached(match: Found, first: int, last: int, clause: int) -> Found:
    kept = tuple(m for m in match.meanings if m[0] not in ("outcome", "reached", "visit"))
    return Found(first, last, (*kept, ("outcome", "ej_nadd"), ("visit", "ej_hemma")), clause)


def note_of(
    text: str, words: list[Word], understood: set[int], neutral: set[int], named: set[int]
) -> str | None:
    """The clauses holding a word that went into no field, cut from the text as written.

    A neutral word (a filler, a verb of being that made no occupation) does not keep a clause;
    the names and dates (`named`) that open a clause, and the understood or neutral words
    that close it, are left out ("Träffade Elin och hennes mamma i onsdags": "Hennes mamma").
    """
    clauses: dict[int, list[int]] = {}
    for i, word in enumerate(words):
        clauses.setdefault(word.clause, []).append(i)

    def telling(i: int) -> bool:
        return i not in understood and i not in neutral and words[i].text not in FILLERS

    kept = [clause for clause, members in clauses.items() if any(map(telling, members))]
    groups: list[list[int]] = []
    for clause in kept:
        if groups and groups[-1][-1] == clause - 1:
            groups[-1].append(clause)
        else:
            groups.append([clause])
    parts = []
    for group in groups:
        members = [i for clause in group for i in clauses[clause]]
        while not telling(members[0]) and (
            words[members[0]].text in CLAUSE_WORDS or members[0] in named
        ):
            members.pop(0)
        while not telling(members[-1]):
            members.pop()
        parts.append(text[words[members[0]].start : words[members[-1]].end])
    if not parts:
        return None
    note = ", ".join(parts)
    return note[0].upper() + note[1:]
