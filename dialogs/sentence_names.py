"""Which youth a sentence names: first name or whole name, misspelt or in the genitive.

A name matches exactly (case and å/ä/ö aside), with a genitive -s ("Saras mamma", "Elin:s"),
or, for a word that is no ordinary word of the vocabulary, with a typo: none in names of up
to three letters, one up to seven, two beyond. A typo only makes the bot ask.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.sentence_text import Word, fold, scan, vocabulary_words
from dialogs.sentence_words import BEFORE_NAME, FILLERS
from storage.case_queries import CaseName


@dataclass(frozen=True)
class Mention:
    """Words[first:last] name these cases."""

    first: int
    last: int
    case_ids: tuple[int, ...]
    exact: bool
    genitive: bool


def _folded(name: str) -> str:
    return " ".join(fold(name).split())


def _allowed_typos(form: str) -> int:
    letters = len(form.replace(" ", ""))
    return 0 if letters <= 3 else 1 if letters <= 7 else 2


class NameIndex:
    """The case names by their folded forms: the whole name, the first name(s), and the
    first of several first names."""

    def __init__(self, names: Iterable[CaseName]) -> None:
        self.names = {name.case_id: name for name in names}
        self._forms: dict[str, list[int]] = defaultdict(list)
        for name in self.names.values():
            first = _folded(name.first_name)
            whole = f"{first} {_folded(name.last_name)}"
            for form in dict.fromkeys((whole, first, first.split()[0] if first else "")):
                if form:
                    self._forms[form].append(name.case_id)
        self._by_words: dict[int, list[str]] = defaultdict(list)
        for form in self._forms:
            self._by_words[len(form.split())].append(form)
        self.longest = max(self._by_words, default=0)

    def exact(self, text: str) -> tuple[str, bool] | None:
        """The form the text is, or is the genitive of: (form, genitive)."""
        if text in self._forms:
            return text, False
        for ending in (":s", "s"):
            if text.endswith(ending) and text.removesuffix(ending) in self._forms:
                return text.removesuffix(ending), True
        return None

    def near(self, text: str) -> list[str]:
        """Forms with as many typos from the text as the form's length allows (one or two)."""
        forms = self._by_words.get(len(text.split()), [])
        found = process.extract(text, forms, scorer=OSA.distance, score_cutoff=2, limit=None)
        return [form for form, typos, _ in found if 0 < typos <= _allowed_typos(form)]

    def cases(self, form: str) -> tuple[int, ...]:
        return tuple(self._forms[form])

    def surname_fits(self, case_id: int, text: str) -> bool:
        """The text is the case's surname, or its genitive, with the typos its length allows."""
        surname = _folded(self.names[case_id].last_name)
        allowed = _allowed_typos(surname)
        return any(
            OSA.distance(candidate, surname) <= allowed
            for candidate in (text, text.removesuffix("s"))
        )


def ordinary(word: Word) -> bool:
    """A filler or a word of the vocabulary."""
    return word.text in FILLERS or word.text in vocabulary_words()


def _may_be_name(word: Word, previous: Word | None, *, loose: bool) -> bool:
    """Before the vocabulary is read (not loose), an ordinary word is a name when capitalised
    or where a name is expected ("Ville", "hos ville"); a typo is looked for only in words
    that are not ordinary ones."""
    if word.taken or not word.text[0].isalpha():
        return False
    if loose:
        return not ordinary(word) and len(word.text) >= 3
    expected = previous is not None and previous.text in BEFORE_NAME
    return word.capitalised or expected or not ordinary(word)


def find_names(words: list[Word], index: NameIndex, *, loose: bool) -> list[Mention]:
    """Names among the untaken words, longest first at each place; the words get taken.

    Without `loose` only exact names (a capitalised word may also be an ordinary word:
    "Ville"); with it, also names with typos among words that are not ordinary ones.
    """
    return scan(words, lambda start: _mention_at(words, start, index, loose=loose))


def _mention_at(words: list[Word], start: int, index: NameIndex, *, loose: bool) -> Mention | None:
    for length in range(min(index.longest, len(words) - start), 0, -1):
        window = words[start : start + length]
        previous = words[start - 1] if start > 0 else None
        if not all(
            _may_be_name(word, previous if i == 0 else window[i - 1], loose=loose)
            for i, word in enumerate(window)
        ):
            continue
        text = " ".join(word.text for word in window)
        found = index.exact(text)
        if found is not None:
            form, genitive = found
            mention = Mention(start, start + length, index.cases(form), True, genitive)
            return _with_surname(mention, words, index)
        near = index.near(text) if loose else []
        if near:
            ids = tuple(dict.fromkeys(i for form in near for i in index.cases(form)))
            return Mention(start, start + length, ids, False, False)
    return None


def _with_surname(mention: Mention, words: list[Word], index: NameIndex) -> Mention:
    """A first name followed by a misspelt surname of one of its cases ("Linnea Åkeson")
    takes the surname along and keeps only those cases."""
    if mention.last >= len(words) or mention.genitive:
        return mention
    word = words[mention.last]
    if word.taken or ordinary(word) or not word.text[0].isalpha():
        return mention
    fitting = tuple(
        case_id for case_id in mention.case_ids if index.surname_fits(case_id, word.text)
    )
    if not fitting:
        return mention
    return Mention(mention.first, mention.last + 1, fitting, True, False)


def youth_of(mentions: list[Mention], index: NameIndex) -> tuple[tuple[int, ...], bool]:
    """The cases the sentence is about, the coordinator's own first, and whether the names
    were exact. An exact name makes any misspelt one a false alarm."""
    if not mentions:
        return (), True
    exact = [mention for mention in mentions if mention.exact]
    kept = exact or mentions
    ids = tuple(dict.fromkeys(i for mention in kept for i in mention.case_ids))
    mine = tuple(i for i in ids if index.names[i].mine)
    return mine or ids, bool(exact)
