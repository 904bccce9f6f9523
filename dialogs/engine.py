"""A small conversation engine: flows of steps whose state is plain JSON.

The Bot Framework SDK is archived, so conversations do not depend on it: the bot
translates an activity into a `Turn`, and the `Reply` objects back into activities.
A step accepts typed text and card submissions alike, so whichever the coordinator
uses, what was entered is kept in the flow's data.
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


@dataclass(frozen=True)
class Step:
    key: str
    prompt: Prompt
    parse: Parser
    help: str
    skip_if: Callable[[dict[str, Any]], bool] = lambda _data: False


@dataclass
class FlowState:
    flow: str
    step: int = 0
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.flow, "step": self.step, "data": self.data}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FlowState:
        return cls(flow=str(raw["flow"]), step=int(raw["step"]), data=dict(raw["data"]))


Finish = Callable[[dict[str, Any], Turn], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    finish: Finish

    def current(self, state: FlowState) -> Step | None:
        while state.step < len(self.steps):
            step = self.steps[state.step]
            if not step.skip_if(state.data):
                return step
            state.step += 1
        return None

    async def advance(self, state: FlowState, turn: Turn) -> tuple[list[Reply], bool]:
        """Feed one answer to the current step; returns the replies and whether the flow ended."""
        step = self.current(state)
        if step is None:
            return await self.finish(state.data, turn), True
        try:
            state.data[step.key] = step.parse(turn, state.data)
        except InputError as error:
            return [Reply(text=str(error)), step.prompt(state.data)], False
        state.step += 1
        return await self.resume(state, turn)

    async def resume(self, state: FlowState, turn: Turn) -> tuple[list[Reply], bool]:
        """Ask the next open question, or finish when none is left."""
        step = self.current(state)
        if step is None:
            return await self.finish(state.data, turn), True
        return [step.prompt(state.data)], False
