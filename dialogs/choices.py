"""Understanding a pick from a code list, typed or clicked.

A typed text is an answer only when it is a number, a code, a label, a part of a label (the
words before or after a "–" or "/", as "komvux" in "studier – komvux"), the words of one
label in their order ("avbrott nationellt"), or a close typo of any of these. Anything else,
such as a quick question that shares a word with a label ("vilka fyller 20 snart?" and
"fyllt 20 år"), is no answer at all (NotAnAnswer), so it can be answered as a question.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from dialogs.engine import NotAnAnswer, Turn
from storage.swedish_text import SWEDISH_FOLD

TYPO_SCORE = 85
_YES = {"ja", "j", "japp", "jo", "ok", "okej", "stämmer", "stammer", "spara", "yes"}
_NO = {"nej", "n", "nä", "na", "no", "ändra", "andra"}
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LABEL_PARTS = re.compile(r"\s+[–/-]\s+")


def choice_list(options: dict[str, str]) -> str:
    return "\n".join(f"{number}. {label}" for number, label in enumerate(options.values(), 1))


def _fold(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower().translate(SWEDISH_FOLD)).split())


def _names(options: dict[str, str]) -> dict[str, set[str]]:
    """Every way a code is named (folded): its code, its label and the parts of its label."""
    names: dict[str, set[str]] = {}
    for code, label in options.items():
        for name in (code, label, *_LABEL_PARTS.split(label)):
            names.setdefault(_fold(name), set()).add(code)
    return names


def _in_order(words: list[str], label: str) -> bool:
    """Whether every typed word is a word of the label, in the label's order."""
    rest = _fold(label).split()
    for word in words:
        if word not in rest:
            return False
        rest = rest[rest.index(word) + 1 :]
    return True


def parse_choice(turn: Turn, key: str, options: dict[str, str]) -> str:
    """A code from a card value, a number, a code or a (misspelt) label."""
    if turn.value and turn.value.get(key) in options:
        return str(turn.value[key])
    text = turn.plain.lower().rstrip(".!")
    codes = list(options)
    if text.isdigit() and 1 <= int(text) <= len(codes):
        return codes[int(text) - 1]
    if text in options:
        return text
    wanted = _fold(text)
    names = _names(options)
    unique = {name: next(iter(found)) for name, found in names.items() if len(found) == 1}
    if wanted in unique:
        return unique[wanted]
    words = wanted.split()
    ordered = {code for code, label in options.items() if words and _in_order(words, label)}
    if len(ordered) == 1:
        return ordered.pop()
    scored = sorted(
        ((fuzz.ratio(wanted, name), code) for name, code in unique.items()), reverse=True
    )
    close = {code for score, code in scored if score >= TYPO_SCORE}
    if wanted and len(close) == 1:
        return close.pop()
    raise NotAnAnswer(
        "Jag kände inte igen det valet. Svara med en siffra eller ett av alternativen."
    )


def parse_yes_no(turn: Turn, key: str) -> bool:
    if turn.value and key in turn.value:
        return str(turn.value[key]).lower() in {"true", "ja", "1"}
    text = turn.plain.lower().rstrip(".!")
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise NotAnAnswer("Svara **ja** eller **nej**.")
