"""Building blocks for the steps of the case flows: dates, choices, free text, confirmation.

Free text is checked for sensitive data (förordning 2006:39): the coordinator is warned,
quoting the words found, and either rewrites the text or answers "spara ändå". Nothing
is stored silently. The warning goes only to the 1:1 chat, never to a log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from dialogs.choices import choice_list, parse_choice, parse_yes_no
from dialogs.dates import (
    DateInputError,
    format_date,
    parse_future_date,
    parse_past_date,
    parse_swedish_date,
)
from dialogs.engine import CONFIRM, CONFIRMED, InputError, NotAnAnswer, Prompt, Reply, Step, Turn
from dialogs.sensitive import find_sensitive_terms, sensitive_warning
from dialogs.summary_changes import UNCONFIRMED
from storage.youth_fields import FieldError, FieldRule, Kind, clean

SKIP_WORDS = {"-", "nej", "inget", "ingen", "hoppa över", "hoppa over", "vet inte"}
KEEP_ANYWAY = {"spara ändå", "spara anda", "spara ända", "behåll", "behall"}
MAX_TEXT = 2000
_NUMBER_LIKE = re.compile(r"[\d\s()+-]*\d[\d\s()+-]*")

# (earliest allowed date, Swedish reason) for a date step, or None when anything goes.
Bound = Callable[[dict[str, Any]], tuple[date, str] | None]


def _never(_data: dict[str, Any]) -> bool:
    return False


def ask(text: str, *suggestions: str) -> Prompt:
    return lambda _data: Reply(text=text, suggestions=suggestions)


def is_skip(text: str) -> bool:
    return text.strip().lower().rstrip(".!") in SKIP_WORDS


def date_step(
    key: str,
    label: str,
    question: str,
    help_text: str,
    *,
    when: str,
    optional: bool = False,
    not_before: Bound | None = None,
    skip_if: Callable[[dict[str, Any]], bool] | None = None,
    suggestions: tuple[str, ...] = (),
) -> Step:
    """`when` is "past" (it happened), "future" (it is planned) or "any"."""
    parse_date = {"past": parse_past_date, "future": parse_future_date, "any": parse_swedish_date}[
        when
    ]

    def parse(turn: Turn, data: dict[str, Any]) -> str | None:
        if optional and is_skip(turn.plain):
            return None
        try:
            parse_swedish_date(turn.plain, turn.today)
        except DateInputError as error:
            raise NotAnAnswer(str(error)) from error
        try:
            value = parse_date(turn.plain, turn.today)
        except DateInputError as error:
            raise InputError(str(error)) from error
        bound = not_before(data) if not_before else None
        if bound is not None and value < bound[0]:
            raise InputError(f"{bound[1]} Skriv {format_date(bound[0])} eller ett senare datum.")
        return value.isoformat()

    return Step(
        key,
        label,
        ask(question, *suggestions),
        parse,
        help_text,
        skip_if=skip_if or _never,
        optional=optional,
    )


def choice_step(
    key: str,
    label: str,
    question: str,
    options: dict[str, str] | Callable[[dict[str, Any]], dict[str, str]],
    help_text: str,
    *,
    optional: bool = False,
    skip_if: Callable[[dict[str, Any]], bool] | None = None,
) -> Step:
    """A pick from a code list (or a list that depends on the data so far)."""

    def current(data: dict[str, Any]) -> dict[str, str]:
        return options(data) if callable(options) else options

    def prompt(data: dict[str, Any]) -> Reply:
        skip = "\n\nSkriv **-** om du vill hoppa över." if optional else ""
        return Reply(text=f"{question}\n{choice_list(current(data))}{skip}")

    def parse(turn: Turn, data: dict[str, Any]) -> str | None:
        if optional and is_skip(turn.plain):
            return None
        return parse_choice(turn, key, current(data))

    return Step(
        key,
        label,
        prompt,
        parse,
        help_text,
        skip_if=skip_if or _never,
        optional=optional,
    )


def text_step(
    key: str,
    label: str,
    question: str | Callable[[dict[str, Any]], str],
    help_text: str,
    *,
    optional: bool = False,
    skip_if: Callable[[dict[str, Any]], bool] | None = None,
    max_length: int = MAX_TEXT,
) -> Step:
    """Free text, checked for sensitive data before it is kept."""
    pending_key = key + UNCONFIRMED

    def parse(turn: Turn, data: dict[str, Any]) -> str | None:
        text = turn.plain
        pending = data.get(pending_key)
        if pending and text.lower().rstrip(".!") in KEEP_ANYWAY:
            data.pop(pending_key)
            return str(pending)
        if optional and is_skip(text):
            data.pop(pending_key, None)
            return None
        if not text:
            raise InputError(f"Skriv {label.lower()} med några ord.")
        if len(text) > max_length:
            raise InputError(f"Texten är för lång – högst {max_length} tecken.")
        warning = sensitive_warning(find_sensitive_terms(text))
        if warning:
            data[pending_key] = text
            raise InputError(
                f"{warning}\n\nSkriv om texten, eller svara **spara ändå** om den ska sparas "
                "som den är."
            )
        data.pop(pending_key, None)
        return text

    skip = " (skriv - om du inte vill skriva något)" if optional else ""

    def prompt(data: dict[str, Any]) -> Reply:
        text = question(data) if callable(question) else question
        return Reply(text=text + skip, suggestions=("-",) if optional else ())

    return Step(
        key,
        label,
        prompt,
        parse,
        help_text,
        skip_if=skip_if or _never,
        optional=optional,
        free_text=True,
    )


def field_step(
    key: str,
    rule: FieldRule,
    label: str,
    question: str,
    help_text: str,
    *,
    skip_if: Callable[[dict[str, Any]], bool] | None = None,
    suggestions: tuple[str, ...] = (),
) -> Step:
    """A youth's or guardian's field, checked by the same rules as every other way in
    (storage.youth_fields); an optional one is skipped with "-"."""

    def parse(turn: Turn, _data: dict[str, Any]) -> str | None:
        text = turn.plain
        if not rule.required and (not text or is_skip(text)):
            return None
        try:
            return clean(rule, text)
        except FieldError as error:
            raise _field_error(rule, text, str(error)) from error

    return Step(
        key,
        label,
        ask(question, *suggestions),
        parse,
        help_text,
        skip_if=skip_if or _never,
        optional=not rule.required,
        free_text=rule.kind in (Kind.NAME, Kind.TEXT),
    )


def _field_error(rule: FieldRule, text: str, message: str) -> InputError:
    """Words where a phone number or postal code belongs, or an e-mail address without @,
    are no attempt at one: a question typed there is answered as a question."""
    attempt = {
        Kind.PHONE: _NUMBER_LIKE.fullmatch(text) is not None,
        Kind.POSTAL_CODE: _NUMBER_LIKE.fullmatch(text) is not None,
        Kind.EMAIL: "@" in text,
    }.get(rule.kind, True)
    return InputError(message) if attempt else NotAnAnswer(message)


def confirmed(data: dict[str, Any]) -> bool:
    """Whether the coordinator said yes to what the service asked about (storage.date_rules)."""
    return bool(data.get(CONFIRMED))


def confirm_step(
    summary: Callable[[dict[str, Any]], list[str]],
    check: Callable[[dict[str, Any]], None] | None = None,
    skip_if: Callable[[dict[str, Any]], bool] | None = None,
) -> Step:
    """Show what will be saved; "ja" saves, "avbryt" drops it, "nej" or "ändra" asks what
    to change (dialogs.summary_changes).

    `check` looks at the answers together before saving; it raises InputError after
    dropping the answers that must be given again, so those are asked next.
    """

    def prompt(data: dict[str, Any]) -> Reply:
        lines = ["Stämmer det här?", *(f"- {line}" for line in summary(data))]
        lines.append(
            "\nSvara **ja** för att spara, **ändra** om något ska ändras, eller **avbryt** för "
            "att låta bli."
        )
        return Reply(text="\n".join(lines), suggestions=("ja", "ändra", "avbryt"))

    def parse(turn: Turn, data: dict[str, Any]) -> bool:
        if not parse_yes_no(turn, CONFIRM):
            raise InputError("Skriv **avbryt** om du inte vill spara, eller **ja** för att spara.")
        if check is not None:
            check(data)
        return True

    return Step(
        CONFIRM,
        "Bekräftelse",
        prompt,
        parse,
        "Svara **ja** för att spara.",
        skip_if=skip_if or _never,
    )


def iso(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def shown(value: Any) -> str:
    return "–" if value in (None, "") else str(value)
