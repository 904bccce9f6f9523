"""Quick questions in free Swedish: which one was asked, despite case, typos and missing å/ä/ö.

The text is normalised (lower case, å/ä → a, ö → o, punctuation dropped) and compared
with rapidfuzz against a list of phrasings per question. A close match is the answer; a
looser one only becomes a suggestion. "visa …" / "öppna …" with anything that is not
itself a question opens a case. A period (``2026-03``, ``2026H1``, ``2025/26``) in the
text is taken out first and kept for the report questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from storage.swedish_text import SWEDISH_FOLD

ACCEPT_SCORE = 84
SUGGEST_SCORE = 62
_NOT_WORD = re.compile(r"[^a-z0-9/ ]+")
_PERIOD = re.compile(r"\b(\d{4}\s*[hH][12]|\d{4}-\d{2}|\d{4}/\d{2,4})\b")
# "… som excel", "… xlsx": the answer as a spreadsheet file too (the key figures).
_AS_FILE = re.compile(r"\b(?:som\s+)?(?:excel(?:fil)?|xlsx|kalkylark)\b", re.IGNORECASE)
_PERSONNUMMER = re.compile(r"^\d{6}(\d{2})?[-+ ]?\d{0,4}$")
_SHOW_VERBS = ("visa", "oppna", "hitta", "sok")


class Intent(StrEnum):
    TODAY = "today"
    OVERDUE = "overdue"
    NOT_REACHED = "not_reached"
    ENROLLED = "enrolled"
    SHOW_CASE = "show_case"
    MY_CASES = "my_cases"
    NEW_THIS_WEEK = "new_this_week"
    TURNING_20 = "turning_20"
    KPI = "kpi"
    SCB = "scb"
    GRANSKNING = "granskning"
    DISTRIBUTE = "distribute"
    WORKLOAD = "workload"


# How each question is suggested as a button (also the canonical phrasing).
SUGGESTION = {
    Intent.TODAY: "vad har jag idag?",
    Intent.OVERDUE: "försenade",
    Intent.NOT_REACHED: "vilka har jag inte nått?",
    Intent.ENROLLED: "hur många är inskrivna?",
    Intent.MY_CASES: "mina ärenden",
    Intent.NEW_THIS_WEEK: "nya denna vecka",
    Intent.TURNING_20: "vilka fyller 20 snart?",
    Intent.KPI: "nyckeltal",
    Intent.SCB: "scb",
    Intent.GRANSKNING: "granskning",
    Intent.DISTRIBUTE: "fördela",
    Intent.WORKLOAD: "arbetsfördelning",
}

PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.TODAY: (
        "vad har jag idag",
        "vad har jag i dag",
        "vad ska jag gora idag",
        "vad behover jag gora idag",
        "vad star pa tur idag",
        "idag",
        "i dag",
        "dagens uppgifter",
        "dagens lista",
        "att gora idag",
        "mina paminnelser",
        "paminnelser",
        "vad har jag for paminnelser",
        "har jag nagot idag",
    ),
    Intent.OVERDUE: (
        "forsenade",
        "forsenat",
        "forsenade paminnelser",
        "vad ar forsenat",
        "vilka ar forsenade",
        "vad har jag missat",
        "ligger jag efter",
        "sena paminnelser",
    ),
    Intent.NOT_REACHED: (
        "vilka har jag inte natt",
        "vilka har jag inte fatt kontakt med",
        "vilka har jag inte fatt tag pa",
        "vilka har inte kontakt",
        "inte nadda",
        "ej nadda",
        "ej kontaktade",
        "utan kontakt",
        "vilka saknar kontakt",
        "vem har jag inte natt",
    ),
    Intent.ENROLLED: (
        "hur manga ar inskrivna",
        "hur manga inskrivna",
        "hur manga ar registrerade",
        "hur manga ungdomar har vi",
        "hur manga har vi",
        "antal inskrivna",
        "antal ungdomar",
        "inskrivna",
    ),
    Intent.MY_CASES: (
        "mina arenden",
        "mina ungdomar",
        "lista mina arenden",
        "vilka har jag",
        "vilka ungdomar har jag",
        "mina case",
    ),
    Intent.NEW_THIS_WEEK: (
        "nya denna vecka",
        "nya den har veckan",
        "nya i veckan",
        "veckans nya",
        "vilka ar nya",
        "nya arenden",
        "nyinskrivna",
        "nya registreringar",
        "vilka har kommit in i veckan",
    ),
    Intent.TURNING_20: (
        "vilka fyller 20 snart",
        "vem fyller 20 snart",
        "vilka fyller 20",
        "fyller 20",
        "fyller tjugo",
        "snart 20",
        "vilka blir 20 snart",
    ),
    Intent.KPI: (
        "statistik",
        "nyckeltal",
        "kompassen",
        "nyckeltal for halvaret",
        "siffror",
    ),
    Intent.SCB: (
        "scb",
        "scb rapport",
        "scb filen",
        "scb fil",
        "scb export",
        "rapportera till scb",
        "halvarsrapport",
    ),
    Intent.GRANSKNING: (
        "granskning",
        "granska",
        "revision",
        "vad saknas",
        "vad saknas i dokumentationen",
        "dokumentation som saknas",
        "ar vi redo for granskning",
    ),
    Intent.DISTRIBUTE: (
        "fordela",
        "fordela arenden",
        "fordela arendena",
        "ofordelade",
        "ofordelade arenden",
        "arenden utan handlaggare",
        "vilka saknar handlaggare",
        "utan handlaggare",
        "vem har ingen handlaggare",
    ),
    Intent.WORKLOAD: (
        "arbetsfordelning",
        "arbetsfordelningen",
        "arbetsbelastning",
        "vem har vad",
        "hur manga arenden har var och en",
        "fordelning per handlaggare",
        "arenden per handlaggare",
    ),
}

_INDEX = [(phrase, intent) for intent, phrases in PHRASES.items() for phrase in phrases]


@dataclass(frozen=True)
class Recognition:
    """What was asked: an intent (None when unclear), its argument, and suggestions."""

    intent: Intent | None
    argument: str = ""
    period: str | None = None
    suggestions: tuple[str, ...] = ()
    as_file: bool = False


def normalise(text: str) -> str:
    folded = text.lower().translate(SWEDISH_FOLD)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _score(text: str, phrase: str) -> float:
    """Typos and reordering count; a short word hidden in a long phrase does not."""
    score = max(fuzz.ratio(text, phrase), fuzz.token_sort_ratio(text, phrase))
    if len(text.split()) >= 2 and len(phrase.split()) >= 2:
        score = max(score, fuzz.token_set_ratio(text, phrase) - 6)
    return score


def _ranked(text: str) -> list[tuple[float, Intent]]:
    best: dict[Intent, float] = {}
    for phrase, intent in _INDEX:
        best[intent] = max(best.get(intent, 0.0), _score(text, phrase))
    return sorted(((score, intent) for intent, score in best.items()), reverse=True)


def _show_target(original: str) -> str | None:
    """The name or number after a show verb ("visa Elin", "öppna 0501…"), if any."""
    words = original.split(maxsplit=1)
    if len(words) < 2:
        return None
    verb = normalise(words[0])
    if any(verb == v or (len(verb) >= 3 and fuzz.ratio(verb, v) >= 75) for v in _SHOW_VERBS):
        return words[1].strip()
    return None


def recognise(text: str) -> Recognition:
    original = (text or "").strip().rstrip("?!. ")
    as_file = bool(_AS_FILE.search(original))
    if as_file:
        original = _AS_FILE.sub(" ", original).strip()
    period_match = _PERIOD.search(original)
    period = period_match.group(1).replace(" ", "") if period_match else None
    without_period = _PERIOD.sub(" ", original) if period else original
    normal = normalise(without_period)
    if not normal:
        return Recognition(None)
    if _PERSONNUMMER.match(normal.replace(" ", "")) and normal[0].isdigit():
        return Recognition(Intent.SHOW_CASE, original)
    ranked = _ranked(normal)
    score, intent = ranked[0]
    target = _show_target(without_period)
    if target is not None:
        # "visa försenade" is the question, "visa Elin" a case.
        rest_score, rest_intent = _ranked(normalise(target))[0]
        if rest_score >= ACCEPT_SCORE and rest_intent != Intent.SHOW_CASE:
            return Recognition(rest_intent, period=period, as_file=as_file)
        if score < ACCEPT_SCORE:
            return Recognition(Intent.SHOW_CASE, target)
    if score >= ACCEPT_SCORE:
        return Recognition(intent, period=period, as_file=as_file)
    return Recognition(None, suggestions=_suggestions(normal))


def _suggestions(text: str) -> tuple[str, ...]:
    """Questions close enough to offer as buttons; a word may be the start of one ("nya")."""
    best: dict[Intent, float] = {}
    for phrase, intent in _INDEX:
        score = _score(text, phrase)
        if len(text) >= 3:
            score = max(score, fuzz.partial_ratio(text, phrase) * 0.9)
        best[intent] = max(best.get(intent, 0.0), score)
    ranked = sorted(((score, intent) for intent, score in best.items()), reverse=True)
    return tuple(SUGGESTION[intent] for score, intent in ranked[:3] if score >= SUGGEST_SCORE)
