"""One conversation turn: global commands, card submissions, the running flow, or a new one.

The state kept between turns is plain JSON: the running flow (if any) and the ids of
card submissions already handled, so a card clicked twice creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialogs import texts
from dialogs.context import FlowContext
from dialogs.engine import Flow, FlowState, Reply, Turn
from dialogs.register import register_flow
from storage.cases import CaseError

FlowFactory = Callable[[FlowContext], Flow]

FLOWS: dict[str, FlowFactory] = {"registrera": register_flow}

_CANCEL = {"avbryt", "sluta", "glöm det", "glom det"}
_HELP = {"hjälp", "hjalp", "help", "?"}
_REMEMBERED_SUBMISSIONS = 50


def _command(turn: Turn) -> str:
    return turn.plain.lower().rstrip(" !.")


async def handle(
    turn: Turn, context: FlowContext, raw_state: dict[str, Any] | None
) -> tuple[list[Reply], dict[str, Any]]:
    """Answer one turn; returns the replies and the state to keep for the next turn."""
    raw_state = raw_state or {}
    seen: list[str] = list(raw_state.get("seen", []))
    active = raw_state.get("active")
    state = FlowState.from_json(active) if active else None

    submission = (turn.value or {}).get("submission")
    if submission is not None:
        if submission in seen:
            return [Reply(text=texts.ALREADY_SUBMITTED)], raw_state
        seen = [*seen, str(submission)][-_REMEMBERED_SUBMISSIONS:]

    replies, state = await _dispatch(turn, context, state)
    return replies, {"active": state.to_json() if state else None, "seen": seen}


async def _dispatch(
    turn: Turn, context: FlowContext, state: FlowState | None
) -> tuple[list[Reply], FlowState | None]:
    command = _command(turn)
    if command in _CANCEL:
        return [Reply(text=texts.CANCELLED if state else texts.NOTHING_TO_CANCEL)], None
    card_flow = (turn.value or {}).get("flow")
    if card_flow in FLOWS and (state is None or state.flow != card_flow):
        state = FlowState(flow=card_flow)
    if state is None:
        return _start(context, command)
    flow = FLOWS[state.flow](context)
    step = flow.current(state)
    if command in _HELP and step is not None:
        return [Reply(text=step.help), step.prompt(state.data)], state
    try:
        replies, ended = await flow.advance(state, turn)
    except CaseError as error:
        state.data.pop("confirm", None)
        step = flow.current(state)
        again = [step.prompt(state.data)] if step else []
        return [Reply(text=str(error)), *again], state
    return replies, None if ended else state


def _start(context: FlowContext, command: str) -> tuple[list[Reply], FlowState | None]:
    if command in _HELP:
        return [Reply(text=texts.HELP)], None
    factory = FLOWS.get(command)
    if factory is None:
        return [Reply(text=texts.NOT_UNDERSTOOD, suggestions=texts.MAIN_SUGGESTIONS)], None
    flow = factory(context)
    state = FlowState(flow=flow.name)
    return flow.start_replies(state), state
