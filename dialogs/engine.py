"""A small conversation engine: flows of steps whose state is plain JSON.

The Bot Framework SDK is archived, so conversations do not depend on it: the bot
translates an activity into a `Turn`, and the `Reply` objects back into activities.
A step accepts typed text and card submissions alike: a card may answer many steps
at once, typed text answers the step being asked. Whatever was entered and valid is
kept in the flow's data; only what is missing or wrong is asked again.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dialogs.summary_changes import (
    CHANGING,
    CONFIRM,
    Change,
    change_menu,
    drop_skipped,
    forget,
    read_change,
)


@dataclass(frozen=True)
class FileReply:
    """A file the bot hands over (a report), sent as an attachment."""

    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    text: str | None = None
    card: dict[str, Any] | None = None
    suggestions: tuple[str, ...] = ()
    file: FileReply | None = None


@dataclass(frozen=True)
class Turn:
    """What the user sent: typed text, or the values of a submitted card."""

    text: str | None
    value: dict[str, Any] | None
    today: date

    @property
    def plain(self) -> str:
        return (self.text or "").strip()


class InputError(ValueError):
    """A Swedish explanation of what was wrong with the answer; the step is asked again."""


class NotAnAnswer(InputError):
    """The text is no answer of the step's kind at all (no date, no choice, no yes or no):
    a quick question or a command typed there is answered beside the flow instead."""


# The day of the turn being answered (ISO), for questions that depend on it.
TODAY = "_today"
# Set when the service asked about a judgement (a contact before the registration) and the
# next "ja" at the summary says yes to it.
CONFIRMED = "_confirmed"


# Parsers and prompts may be coroutines, for the ones that look something up in the case store.
Parser = Callable[[Turn, dict[str, Any]], Any]
Prompt = Callable[[dict[str, Any]], Reply | Awaitable[Reply]]


async def resolved(value: Any) -> Any:
    """The value, awaited first when it is awaitable (a prompt that reads the store)."""
    return await value if inspect.isawaitable(value) else value


def _never(_data: dict[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    prompt: Prompt
    parse: Parser
    help: str
    skip_if: Callable[[dict[str, Any]], bool] = _never
    # An optional step left empty in a submitted form is answered with None.
    optional: bool = False
    # Any text answers it (a note, a name), so a quick question typed here is a question.
    free_text: bool = False
    # Not offered for change at the summary (which youth; a yes to a proposal).
    fixed: bool = False

    async def answer(self, turn: Turn, data: dict[str, Any]) -> Any:
        """The parsed answer; raises InputError with what was wrong."""
        return await resolved(self.parse(turn, data))


@dataclass
class FlowState:
    flow: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.flow, "data": self.data}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FlowState:
        return cls(flow=str(raw["flow"]), data=dict(raw["data"]))


Finish = Callable[[dict[str, Any], Turn], Awaitable[list[Reply]]]
CardBuilder = Callable[[dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    finish: Finish
    card: CardBuilder | None = None
    # The card is shown once this step is answered (e.g. which youth), or at once when None.
    card_after: str | None = None

    def current(self, state: FlowState) -> Step | None:
        """The first step that is neither answered nor skipped."""
        for step in self.steps:
            if step.key not in state.data and not step.skip_if(state.data):
                return step
        return None

    def card_ready(self, data: dict[str, Any]) -> bool:
        return self.card is not None and (self.card_after is None or self.card_after in data)

    async def _card_reply(
        self, data: dict[str, Any], text: str = "fyll i kortet, eller svara på frågorna här."
    ) -> Reply:
        assert self.card is not None
        return Reply(text=f"**{self.title}** – {text}", card=await resolved(self.card(data)))

    async def ask(self, step: Step, data: dict[str, Any]) -> Reply:
        reply: Reply = await resolved(step.prompt(data))
        return reply

    async def start_replies(self, state: FlowState) -> list[Reply]:
        """The card (when the flow has one and it is ready) and the first open question."""
        replies = [await self._card_reply(state.data)] if self.card_ready(state.data) else []
        step = self.current(state)
        if step is not None:
            replies.append(await self.ask(step, state.data))
        return replies

    async def advance(self, state: FlowState, turn: Turn) -> tuple[list[Reply], bool]:
        """Feed one turn to the flow; returns the replies and whether the flow ended."""
        card_was_ready = self.card_ready(state.data)
        state.data[TODAY] = turn.today.isoformat()
        if turn.value:
            errors = await self._fill_from_card(state, turn)
        else:
            change = self.change_asked(state, turn.plain)
            if change is not None:
                return await self._change(state, turn, change), False
            errors = await self._answer_current(state, turn)
        step = self.current(state)
        if step is None:
            return await self.finish(state.data, turn), True
        replies = [Reply(text=error) for error in errors]
        if self.card_ready(state.data) and not card_was_ready:
            replies.append(await self._card_reply(state.data))
        elif errors and turn.value and self.card_ready(state.data):
            replies.append(await self._card_reply(state.data, "rätta i kortet eller svara här:"))
        replies.append(await self.ask(step, state.data))
        return replies, False

    async def _answer_current(self, state: FlowState, turn: Turn) -> list[str]:
        step = self.current(state)
        if step is None:
            return []
        try:
            state.data[step.key] = await step.answer(turn, state.data)
        except InputError as error:
            return [str(error)]
        return []

    async def _fill_from_card(self, state: FlowState, turn: Turn) -> list[str]:
        """Take every step a card answered, in order; keep the valid ones, report the rest.

        A submitted form (`"form"` in its data) answers its optional steps left empty with
        None; a plain button only answers what it carries.
        """
        values = turn.value or {}
        errors = []
        for step in self.steps:
            if step.skip_if(state.data):
                continue
            raw = values.get(step.key)
            if raw is None or raw == "":
                if step.optional and values.get("form") and step.key not in state.data:
                    state.data[step.key] = None
                continue
            answer = Turn(text=str(raw), value=values, today=turn.today)
            try:
                state.data[step.key] = await step.answer(answer, state.data)
            except InputError as error:
                state.data.pop(step.key, None)
                errors.append(f"**{step.label}:** {error}")
        return errors

    def change_asked(self, state: FlowState, text: str) -> Change | None:
        """What the text asks to change, when the flow waits at its summary."""
        step = self.current(state)
        if step is None or step.key != CONFIRM:
            return None
        return read_change(self.changeable(state.data), state.data, text)

    def changeable(self, data: dict[str, Any]) -> list[Step]:
        """The answered steps a summary offers to change, in the flow's order."""
        return [
            step
            for step in self.steps
            if step.key in data
            and step.key != CONFIRM
            and not step.fixed
            and not step.skip_if(data)
        ]

    async def _change(self, state: FlowState, turn: Turn, change: Change) -> list[Reply]:
        """At the summary: list what can be changed, or take one field's new answer."""
        data = state.data
        if change.step is None:
            data[CHANGING] = True
            replies = [Reply(text=change_menu(self.changeable(data)))]
            if self.card_ready(data):
                replies.append(await self._card_reply(data, "eller ändra i kortet och spara:"))
            return replies
        data.pop(CHANGING, None)
        data.pop(CONFIRMED, None)
        forget(data, change.step)
        errors: list[str] = []
        if change.value:
            errors = await self._answer_current(
                state, Turn(text=change.value, value=None, today=turn.today)
            )
        drop_skipped(self.steps, data)
        step = self.current(state)
        assert step is not None, "the summary is always left to answer"
        return [*(Reply(text=error) for error in errors), await self.ask(step, data)]
