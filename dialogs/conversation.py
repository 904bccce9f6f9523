"""One conversation turn: global commands, the running flow, or starting a new one."""

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


def _normalized(turn: Turn) -> str:
    return turn.plain.lower().rstrip(" !.")


async def handle(
    turn: Turn, context: FlowContext, raw_state: dict[str, Any] | None
) -> tuple[list[Reply], dict[str, Any] | None]:
    """Answer one turn; returns the replies and the flow state to keep (None: no flow)."""
    state = FlowState.from_json(raw_state) if raw_state else None
    command = _normalized(turn)
    if command in _CANCEL:
        return [Reply(text=texts.CANCELLED if state else texts.NOTHING_TO_CANCEL)], None
    if state is None:
        return await _start(turn, context, command)
    flow = FLOWS[state.flow](context)
    step = flow.current(state)
    if command in _HELP and step is not None:
        return [Reply(text=step.help), step.prompt(state.data)], state.to_json()
    try:
        replies, ended = await flow.advance(state, turn)
    except CaseError as error:
        state.step = len(flow.steps) - 1
        last = flow.steps[-1]
        return [Reply(text=str(error)), last.prompt(state.data)], state.to_json()
    return replies, None if ended else state.to_json()


async def _start(
    turn: Turn, context: FlowContext, command: str
) -> tuple[list[Reply], dict[str, Any] | None]:
    if command in _HELP:
        return [Reply(text=texts.HELP)], None
    factory = FLOWS.get(command)
    if factory is None:
        return [Reply(text=texts.NOT_UNDERSTOOD, suggestions=texts.MAIN_SUGGESTIONS)], None
    flow = factory(context)
    state = FlowState(flow=flow.name)
    replies, ended = await flow.resume(state, turn)
    return replies, None if ended else state.to_json()
