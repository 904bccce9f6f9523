"""Say it in one line: what a coordinator writes in plain Swedish, read as a partial record.

"ringde Elin igår men fick inget svar", "pratade med Saras mamma i telefon", "hembesök hos
Leo imorgon med Anna", "Omar har börjat på komvux": `read_report` finds which youth (among
the coordinator's case names, their own first), the date (the Swedish relative dates of
dialogs.dates, today when none is said), the channel, counterpart, outcome, an occupation,
and keeps the rest as the note; it also says what is missing and whether it is sure.

Pure: the text, the case names and today in, a `Report` out. A quick question or a command
is never a report, nor any other question, nor a command with only a youth after it ("logga
kontakt Elin"), nor a contact said to lie ahead ("ska ringa Elin imorgon", "måste ringa
Omar"). What the report becomes in the chat is
dialogs.sentence_chat's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from dialogs.commands import match_command
from dialogs.intents import recognise
from dialogs.occupation import WITHOUT_EXTENT
from dialogs.sentence_names import Mention, NameIndex, find_names, ordinary, youth_of
from dialogs.sentence_parts import Dated, dates, identifiers, time_of_day, untake
from dialogs.sentence_text import Found, Meaning, Word, find_phrases, note_of, words_of
from dialogs.sentence_words import ABOUT, FILLERS, OWNER, QUESTION_WORDS
from storage.case_queries import CaseName


class Kind(StrEnum):
    CONTACT = "kontakt"
    VISIT = "hembesok"  # a home visit, planned or done not said
    VISIT_PLAN = "hembesok_plan"
    VISIT_DONE = "hembesok_gjort"
    OCCUPATION = "sysselsattning"
    MEASURE = "insats"


_VISITS = (Kind.VISIT, Kind.VISIT_PLAN, Kind.VISIT_DONE)
# Occupations said by a noun that needs no verb ("arbetslös", "utomlands").
_SELF_EVIDENT = frozenset({"ingen", "utomlands", "atgard_annan_aktor"})
# A said outcome beats an implied one; among said ones, the one that tells most.
_OUTCOME_ORDER = ("avboejer", "nadd", "infoblad", "ej_nadd")
_VISIT_ORDER = ("fel_adress", "traffad", "ej_hemma")


@dataclass(frozen=True)
class Report:
    """What one message says was done or planned; empty (kind None) when it is no report.

    `case_ids` are the youths the names fit (the coordinator's own first; several: ask which);
    `sure` is False when the words only hint at a report or the name was misspelt, so the
    bot asks before it starts; `missing` names the fields the flow will still ask for.
    """

    kind: Kind | None = None
    sure: bool = False
    case_ids: tuple[int, ...] = ()
    # A capitalised word where the youth's name should be, that is no active case's name.
    unknown_name: str | None = None
    case_number: int | None = None
    personnummer: str | None = None
    day: date | None = None
    channel: str | None = None
    counterpart: str | None = None
    outcome: str | None = None
    occupation: str | None = None
    extent: int | None = None
    measure_type: str | None = None
    offer: str | None = None
    companion: str | None = None
    notice: bool = False
    time: str | None = None
    note: str | None = None
    many: bool = False
    missing: tuple[str, ...] = ()

    @property
    def youth_said(self) -> bool:
        return bool(self.case_ids or self.case_number or self.personnummer)

    @property
    def complete(self) -> bool:
        """Understood completely: nothing left to ask but the confirmation."""
        one_youth = len(self.case_ids) == 1 or (
            not self.case_ids and bool(self.case_number or self.personnummer)
        )
        return self.kind is not None and self.sure and one_youth and not self.missing


def read_report(text: str, names: Sequence[CaseName], today: date) -> Report:
    if not text.strip() or recognise(text).intent is not None:
        return Report()
    command = match_command(text)
    if command is not None and not command.rest:
        return Report()
    words = words_of(text)
    if text.rstrip().endswith("?") or (words and words[0].text in QUESTION_WORDS):
        return Report()  # "har Elin svarat?": a question, not a report
    index = NameIndex(names)
    case_number, personnummer = identifiers(words)
    time = time_of_day(words, text)
    mentions = find_names(words, index, loose=False)
    all_dates = dates(words, today)
    found = find_phrases(words)
    mentions = sorted([*mentions, *find_names(words, index, loose=True)], key=lambda m: m.first)
    occupation = _occupation(found)
    anchor = _anchor(found, occupation)
    dated = _record_date(all_dates, anchor)
    said = {meaning for phrase in found for meaning in phrase.meanings}
    kind, strong = _kind(said, occupation is not None, dated, today)
    if kind == Kind.CONTACT and dated is not None and dated.day > today:
        if anchor is None or dated.clause == anchor.clause:
            return Report()  # "möte med Omar på fredag": nothing has happened yet
        dated = None
    if kind is None or _planned_contact(kind, found):
        return Report()
    for other in all_dates:
        if other is not dated:
            untake(words, other)
    companion, mentions = _companion(kind, words, mentions, text)
    case_ids, exact = youth_of(mentions, index)
    youth_said = bool(case_ids or case_number or personnummer)
    unknown_name = None if youth_said else _unknown_name(words, text)
    # An occupation alone is a report only about someone.
    strong = strong and (youth_said or kind != Kind.OCCUPATION)
    if not strong and not youth_said:
        return Report()
    if command is not None and not _beyond_youth(found, dated, time, companion, words):
        # "logga kontakt Elin", "hembesök Leo": the command, with the youth as its answer.
        return Report()
    fields = _Fields(kind, found, mentions, words, occupation)
    named = {i for i, word in enumerate(words) if word.taken and not _in_phrase(i, found)}
    neutral = {i for f in found if f.means("state") for i in range(f.first, f.last)}
    report = Report(
        kind=kind,
        sure=strong and exact,
        case_ids=case_ids,
        unknown_name=unknown_name,
        case_number=case_number,
        personnummer=personnummer,
        day=dated.day if dated else None if kind in (Kind.VISIT, Kind.VISIT_PLAN) else today,
        channel=fields.channel,
        counterpart=fields.counterpart,
        outcome=fields.outcome,
        occupation=fields.occupation,
        extent=fields.extent,
        measure_type=fields.measure_type,
        offer=fields.offer,
        companion=companion,
        notice=("cue", "notice") in said,
        time=time,
        note=note_of(text, words, fields.understood() | named, neutral, named),
        many=("cue", "many") in said,
    )
    return _with_missing(report, youth_said)


def _unknown_name(words: list[Word], text: str) -> str | None:
    """The first capitalised word that is neither ordinary nor understood: a name the case
    names do not know ("ringde Bodil"); it is taken, so it stays out of the note."""
    for word in words:
        if word.capitalised and not word.taken and not ordinary(word) and word.text.isalpha():
            word.taken = True
            return text[word.start : word.end]
    return None


def _beyond_youth(
    found: list[Found],
    dated: Dated | None,
    time: str | None,
    companion: str | None,
    words: list[Word],
) -> bool:
    """Whether the words say more than a command and a youth do."""
    said = {field for phrase in found for field, _ in phrase.meanings} - {"cue"}
    rest = [w for w in words if not w.taken and w.text not in FILLERS]
    return bool(said or dated or time or companion or len(rest) > 1)


# The phrase that says what is reported, in the order _kind looks for them.
_ANCHORS: tuple[Meaning, ...] = (
    ("cue", "home"),
    ("cue", "offered"),
    ("cue", "measure"),
    ("cue", "contact"),
)


def _anchor(found: list[Found], occupation: _Occupation | None) -> Found | None:
    """The phrase that says what happened; the record's date is looked for in its clause."""
    for field, value in _ANCHORS:
        phrase = next((f for f in found if f.means(field, value)), None)
        if phrase is not None:
            return phrase
    channel = next((f for f in found if f.means("channel")), None)
    if channel is not None:
        return channel
    if occupation is not None:
        return occupation.phrase
    return next((f for f in found if f.means("outcome") or f.means("counterpart")), None)


def _record_date(all_dates: list[Dated], anchor: Found | None) -> Dated | None:
    """The date in the anchor's clause, else the first one."""
    if anchor is not None:
        for dated in all_dates:
            if dated.clause == anchor.clause:
                return dated
    return all_dates[0] if all_dates else None


def _kind(
    said: set[Meaning], occupation: bool, dated: Dated | None, today: date
) -> tuple[Kind | None, bool]:
    """What is reported, and whether the words say it plainly (not only hint at it)."""
    fields = {field for field, _ in said}
    cues = {value for field, value in said if field == "cue"}
    offered = "offered" in cues or "offer" in fields
    if "home" in cues:
        return _visit_kind(cues, fields, dated.day if dated else None, today), True
    if offered and ("measure" in fields or "measure" in cues):
        return Kind.MEASURE, True
    if "channel" in fields or "contact" in cues:
        return Kind.CONTACT, True
    if occupation:
        return Kind.OCCUPATION, True
    if fields & {"outcome", "counterpart"}:
        return Kind.CONTACT, False
    return None, False


def _visit_kind(cues: set[str], fields: set[str], day: date | None, today: date) -> Kind:
    if "visit" in fields and "plan" not in cues:
        return Kind.VISIT_DONE
    if day is not None and day != today:
        return Kind.VISIT_PLAN if day > today else Kind.VISIT_DONE
    if "plan" in cues or "notice" in cues:
        return Kind.VISIT_PLAN
    if "done" in cues or "visit" in fields:
        return Kind.VISIT_DONE
    return Kind.VISIT


def _planned_contact(kind: Kind, found: list[Found]) -> bool:
    """A contact said to lie ahead ("ska ringa Elin") is no report: nothing has happened."""
    if kind != Kind.CONTACT:
        return False
    first = next((f for f in found if f.means("channel") or f.means("cue", "contact")), None)
    return first is not None and any(
        f.first < first.first
        and f.clause == first.clause
        and (f.means("cue", "plan") or f.means("cue", "wish"))
        for f in found
    )


def _companion(
    kind: Kind | None, words: list[Word], mentions: list[Mention], text: str
) -> tuple[str | None, list[Mention]]:
    """Who goes along on a home visit: the name after "med" ("… med Anna")."""
    if kind not in _VISITS:
        return None, mentions
    for i, word in enumerate(words[:-1]):
        if word.text != "med":
            continue
        following = words[i + 1]
        named = next((m for m in mentions if m.first == i + 1), None)
        if named is not None and len(mentions) > 1:
            return text[following.start : words[named.last - 1].end], [
                m for m in mentions if m is not named
            ]
        if named is None and not following.taken and following.text not in FILLERS:
            following.taken = True
            return text[following.start : following.end], mentions
    return None, mentions


class _Occupation(NamedTuple):
    kind: str
    phrase: Found


class _Fields:
    """The fields a report of this kind takes, chosen among the phrases found."""

    def __init__(
        self,
        kind: Kind,
        found: list[Found],
        mentions: list[Mention],
        words: list[Word],
        occupation: _Occupation | None,
    ) -> None:
        self.kind = kind
        self.found = found
        contact = kind == Kind.CONTACT
        self.channel = self._channel() if contact else None
        self.counterpart = _counterpart(found, words, mentions) if contact else None
        self.outcome = self._outcome()
        self.measure_type = self._first("measure") if kind == Kind.MEASURE else None
        self.offer = self._first("offer") if kind == Kind.MEASURE else None
        self._occupation = occupation if kind in (Kind.CONTACT, Kind.OCCUPATION) else None
        self.occupation = self._occupation.kind if self._occupation else None
        extent = self._first("extent") if kind == Kind.OCCUPATION else None
        self.extent = int(extent) if extent else None

    def _first(self, field: str) -> str | None:
        return next((f.value(field) for f in self.found if f.means(field)), None)

    def _channel(self) -> str | None:
        """The first channel said; a meeting held on Teams is a digital one."""
        said = [f.value("channel") for f in self.found if f.means("channel")]
        if said[:1] == ["mote"] and "digitalt_mote" in said:
            return "digitalt_mote"
        return said[0] if said else None

    def _outcome(self) -> str | None:
        if self.kind == Kind.CONTACT:
            said = {f.value("outcome") for f in self.found if f.means("outcome")}
            ordered = [o for o in _OUTCOME_ORDER if o in said]
            return ordered[0] if ordered else self._first("reached")
        if self.kind == Kind.VISIT_DONE:
            said = {f.value("visit") for f in self.found if f.means("visit")}
            return next((o for o in _VISIT_ORDER if o in said), None)
        return None

    def _cues(self) -> set[str]:
        if self.kind == Kind.CONTACT:
            return {"contact", "many"}
        if self.kind == Kind.MEASURE:
            return {"offered", "measure"}
        if self.kind in _VISITS:
            return {"home", "plan", "done", "notice"}
        return set()

    def understood(self) -> set[int]:
        """The words whose meaning went into a field."""
        chosen: set[Meaning] = {("cue", cue) for cue in self._cues()}
        for field, value in (
            ("channel", self.channel),
            ("counterpart", self.counterpart),
            ("outcome", self.outcome),
            ("reached", self.outcome),
            ("visit", self.outcome),
            ("measure", self.measure_type),
            ("offer", self.offer),
            ("extent", str(self.extent) if self.extent else None),
        ):
            if value is not None:
                chosen.add((field, value))
        words: set[int] = set()
        for phrase in self.found:
            taken = self._occupation is not None and phrase is self._occupation.phrase
            if taken or any(meaning in chosen for meaning in phrase.meanings):
                words.update(range(phrase.first, phrase.last))
        return words


def _occupation(found: list[Found]) -> _Occupation | None:
    """What the youth does now: a verb that says it ("jobbar"), or a noun after a verb of
    being or starting in the same clause ("går på komvux") — not a wish ("vill börja på") nor
    what has ended ("har slutat på komvux")."""
    for phrase in found:
        working = phrase.value("working")
        if working is not None:
            return _Occupation(working, phrase)
        kind = phrase.value("occupation")
        if kind is None:
            continue
        before = [f for f in found if f.last <= phrase.first and f.clause == phrase.clause]
        if any(f.means("cue", "wish") or f.means("cue", "stopped") for f in before):
            continue
        if kind in _SELF_EVIDENT or any(f.means("state") for f in before):
            return _Occupation(kind, phrase)
    return None


def _counterpart(found: list[Found], words: list[Word], mentions: list[Mention]) -> str | None:
    """Who the contact was with: a counterpart tied to the youth's name ("Saras mamma",
    "mamman till Elin") first, else whoever is named first — the youth when it is their name
    (not "om Elin")."""
    said = [f for f in found if f.means("counterpart")]
    tied = [f for f in said if _tied(f, words, mentions)]
    if tied:
        return tied[0].value("counterpart")
    direct = [m.first for m in mentions if _talked_to(m, words, found)]
    candidates = [(f.first, f.value("counterpart")) for f in said] + [
        (position, "ungdomen") for position in direct
    ]
    return min(candidates)[1] if candidates else None


def _tied(phrase: Found, words: list[Word], mentions: list[Mention]) -> bool:
    for mention in mentions:
        if mention.last == phrase.first and _genitive(mention, words):
            return True
        link = phrase.last
        if mention.first == link + 1 and link < len(words) and words[link].text in OWNER:
            return True
    return False


def _genitive(mention: Mention, words: list[Word]) -> bool:
    return mention.genitive or words[mention.last - 1].text.endswith(("s", "x", "z"))


def _talked_to(mention: Mention, words: list[Word], found: list[Found]) -> bool:
    """The name is the one spoken with, not its owner or the subject of the talk."""
    before = words[mention.first - 1].text if mention.first > 0 else ""
    follows_counterpart = any(
        f.means("counterpart") and f.first == mention.last for f in found
    ) and _genitive(mention, words)
    owned = before in OWNER and any(
        f.means("counterpart") and f.last == mention.first - 1 for f in found
    )
    return before not in ABOUT and not follows_counterpart and not owned


def _in_phrase(index: int, found: list[Found]) -> bool:
    return any(f.first <= index < f.last for f in found)


def _with_missing(report: Report, youth_said: bool) -> Report:
    missing = [] if youth_said else ["youth"]
    kind = report.kind
    if kind == Kind.CONTACT:
        missing += [f for f in ("channel", "counterpart", "outcome") if getattr(report, f) is None]
    elif kind == Kind.VISIT:
        missing.append("mode")
    elif kind == Kind.VISIT_PLAN:
        missing += ["day"] if report.day is None else []
        missing += ["companion"] if report.companion is None else []
        missing += [] if report.notice else ["notice"]
    elif kind == Kind.VISIT_DONE:
        missing += ["outcome"] if report.outcome is None else []
        # Who went along (or, for a visit planned here, which one it was) is asked.
        missing += ["companion"] if report.companion is None else []
    elif kind == Kind.OCCUPATION and report.extent is None:
        missing += [] if report.occupation in WITHOUT_EXTENT else ["extent"]
    elif kind == Kind.MEASURE:
        missing += [f for f in ("measure_type", "offer") if getattr(report, f) is None]
        if report.offer == "ja":
            missing += ["goal", "follow_up", "evaluation"]
    return replace(report, missing=tuple(missing))
