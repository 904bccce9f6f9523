"""Understanding a pick from a code list, typed or clicked."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from dialogs.engine import InputError, Turn

_YES = {"ja", "j", "japp", "jo", "ok", "okej", "stämmer", "stammer", "spara", "yes"}
_NO = {"nej", "n", "nä", "na", "no", "ändra", "andra"}


def choice_list(options: dict[str, str]) -> str:
    return "\n".join(f"{number}. {label}" for number, label in enumerate(options.values(), 1))


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
    labels = {label.lower(): code for code, label in options.items()}
    if text in labels:
        return labels[text]
    best = process.extractOne(text, list(labels), scorer=fuzz.WRatio, score_cutoff=85)
    if text and best is not None:
        return labels[best[0]]
    raise InputError(
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
    raise InputError("Svara **ja** eller **nej**.")
