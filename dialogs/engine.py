"""A small conversation engine: flows of steps whose state is plain JSON.

The Bot Framework SDK is archived, so conversations do not depend on it: the bot
translates an activity into a `Turn`, and the `Reply` objects back into activities.
A step accepts typed text and card submissions alike: a card may answer many steps
at once, typed text answers the step being asked. Whatever was entered and valid is
kept in the flow's data; only what is missing or wrong is asked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Reply:
    text: str | None = None
    card: dict[str, Any] | None = None
    suggestions: tuple[str, ...] = ()


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


Parser = Callable[[Turn, dict[str, Any]], Any]
Prompt = Callable[[dict[str, Any]], Reply]


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
CardBuilder = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    finish: Finish
    card: CardBuilder | None = None

    def current(self, state: FlowState) -> Step | None:
        """The first step that is neither answered nor skipped."""
        for step in self.steps:
            if step.key not in state.data and not step.skip_if(state.data):
                return step
        return None

    def start_replies(self, state: FlowState) -> list[Reply]:
        """The card (when the flow has one) and the first open question."""
        replies = []
        if self.card is not None:
            replies.append(
                Reply(
                    text=f"**{self.title}** – fyll i kortet, eller svara på frågorna här.",
                    card=self.card(state.data),
                )
            )
        step = self.current(state)
        if step is not None:
            replies.append(step.prompt(state.data))
        return replies

    async def advance(self, state: FlowState, turn: Turn) -> tuple[list[Reply], bool]:
        """Feed one turn to the flow; returns the replies and whether the flow ended."""
        if turn.value:
            errors = self._fill_from_card(state, turn)
        else:
            errors = self._answer_current(state, turn)
        step = self.current(state)
        if step is None:
            return await self.finish(state.data, turn), True
        replies = [Reply(text=error) for error in errors]
        if errors and turn.value and self.card is not None:
            replies.append(
                Reply(text="Rätta i kortet eller svara här:", card=self.card(state.data))
            )
        replies.append(step.prompt(state.data))
        return replies, False

    def _answer_current(self, state: FlowState, turn: Turn) -> list[str]:
        step = self.current(state)
        if step is None:
            return []
        try:
            state.data[step.key] = step.parse(turn, state.data)
        except InputError as error:
            return [str(error)]
        return []

    def _fill_from_card(self, state: FlowState, turn: Turn) -> list[str]:
        """Take every step a card answered, in order; keep the valid ones, report the rest."""
        values = turn.value or {}
        errors = []
        for step in self.steps:
            raw = values.get(step.key)
            if raw is None or raw == "" or step.skip_if(state.data):
                continue
            answer = Turn(text=str(raw), value=values, today=turn.today)
            try:
                state.data[step.key] = step.parse(answer, state.data)
            except InputError as error:
                state.data.pop(step.key, None)
                errors.append(f"**{step.label}:** {error}")
        return errors
