"""One conversation turn: global commands, card submissions, the running flow, or a new one.

The state kept between turns is plain JSON: the running flow, if any. (A card clicked twice
or an activity delivered twice never reaches this far: the bot handles each once.)
A command or quick question typed in the middle of a flow, which is no answer to the
question asked, is answered (a case is shown, a question answered) or told to wait, and the
question is asked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dialogs import texts
from dialogs.asides import aside_of
from dialogs.close_case import close_case_flow
from dialogs.commands import CommandMatch, match_command
from dialogs.contact import contact_flow
from dialogs.context import FlowContext
from dialogs.correct import correct_flow
from dialogs.deactivate_staff import deactivate_flow
from dialogs.engine import (
    CONFIRM,
    CONFIRMED,
    Flow,
    FlowState,
    Reply,
    Step,
    Turn,
)
from dialogs.flow_names import FlowName, OneShotName
from dialogs.handover import handover_flow
from dialogs.home_visit import home_visit_flow
from dialogs.intents import Intent, recognise
from dialogs.letters import letters_flow
from dialogs.measure import end_measure_flow, evaluate_measure_flow, measure_flow
from dialogs.occupation import occupation_flow
from dialogs.plan import consent_flow, plan_flow
from dialogs.queries import answer
from dialogs.register import register_flow
from dialogs.reminder_actions import handle_reminder_action, is_reminder_action
from dialogs.routine import change_routine, show_routine
from dialogs.scb import confirm_code_list, set_deadline, show_periods
from dialogs.sentence_chat import PROPOSAL_FLOWS, start_report
from dialogs.show_case import show_case_flow
from dialogs.small_talk import small_talk_reply
from dialogs.staff_admin import staff_admin_flow
from dialogs.take_case import assign_flow, take_flow
from storage.cases import CaseError, NeedsConfirmation

FlowFactory = Callable[[FlowContext], Flow]

FLOWS: dict[str, FlowFactory] = {
    FlowName.REGISTER: register_flow,
    FlowName.CONTACT: contact_flow,
    FlowName.PLAN: plan_flow,
    FlowName.CONSENT: consent_flow,
    FlowName.NEW_MEASURE: measure_flow,
    FlowName.END_MEASURE: end_measure_flow,
    FlowName.EVALUATE_MEASURE: evaluate_measure_flow,
    FlowName.HOME_VISIT: home_visit_flow,
    FlowName.OCCUPATION: occupation_flow,
    FlowName.CLOSE_CASE: close_case_flow,
    FlowName.SHOW_CASE: show_case_flow,
    FlowName.ADD_STAFF: staff_admin_flow,
    FlowName.WRITE_LETTERS: letters_flow,
    FlowName.CORRECT: correct_flow,
    FlowName.TAKE_CASE: take_flow,
    FlowName.ASSIGN_CASE: assign_flow,
    FlowName.HAND_OVER: handover_flow,
    FlowName.DEACTIVATE_STAFF: deactivate_flow,
    **PROPOSAL_FLOWS,
}
# Flows that only show something, so they may answer in the middle of another flow.
_READ_ONLY = {FlowName.SHOW_CASE}
# Commands answered in one turn (the words after the command are their argument); they
# may answer in the middle of a flow too.
OneShot = Callable[[FlowContext, Turn, str], Awaitable[list[Reply]]]
ONE_SHOTS: dict[str, OneShot] = {
    OneShotName.SHOW_ROUTINE: show_routine,
    OneShotName.CHANGE_ROUTINE: change_routine,
    OneShotName.SCB_PERIODS: show_periods,
    OneShotName.SCB_DEADLINE: set_deadline,
    OneShotName.SCB_CODE_LIST: confirm_code_list,
}

_CANCEL = {"avbryt", "sluta", "glöm det", "glom det"}
_HELP = {"hjälp", "hjalp", "help", "?"}


def _command(turn: Turn) -> str:
    return turn.plain.lower().rstrip(" !.")


async def handle(
    turn: Turn, context: FlowContext, raw_state: dict[str, Any] | None
) -> tuple[list[Reply], dict[str, Any]]:
    """Answer one turn; returns the replies and the state to keep for the next turn."""
    active = (raw_state or {}).get("active")
    state = FlowState.from_json(active) if active else None
    replies, state = await _dispatch(turn, context, state)
    return replies, {"active": state.to_json() if state else None}


async def _dispatch(
    turn: Turn, context: FlowContext, state: FlowState | None
) -> tuple[list[Reply], FlowState | None]:
    command = _command(turn)
    if command in _CANCEL:
        return [Reply(text=texts.CANCELLED if state else texts.NOTHING_TO_CANCEL)], None
    if is_reminder_action(turn):
        # A digest button acts on the reminder; a running flow stays where it was.
        return await handle_reminder_action(turn, context), state
    value = turn.value or {}
    card_flow = value.get("flow")
    if card_flow in FLOWS and (state is None or _other_case(state, card_flow, value)):
        state = FlowState(flow=card_flow)
    if state is None:
        return await _start(context, turn, command)
    try:
        flow = FLOWS[state.flow](context)
    except CaseError as error:
        return [Reply(text=str(error))], None
    step = flow.current(state)
    if command in _HELP and step is not None:
        return [Reply(text=step.help), await flow.ask(step, state.data)], state
    if step is not None and not turn.value and flow.change_asked(state, turn.plain) is None:
        aside = await _aside(context, turn, flow, step, state)
        if aside is not None:
            return aside, state
    return await _advance(flow, state, turn)


async def _aside(
    context: FlowContext, turn: Turn, flow: Flow, step: Step, state: FlowState
) -> list[Reply] | None:
    """A command or quick question typed mid-flow that is no answer to the open question is
    answered on the side (or told to wait), then the question is asked again."""
    aside = await aside_of(step, turn, state.data)
    if aside is None:
        return None
    if aside.command is not None:
        return await _interrupt(context, turn, aside.command, flow, step, state)
    assert aside.question is not None
    replies = await answer(aside.question, turn, context)
    back = Reply(text=texts.BACK_TO.format(title=flow.title))
    return [*replies, back, await flow.ask(step, state.data)]


def _other_case(state: FlowState, card_flow: str, value: dict[str, Any]) -> bool:
    """A card or button for another flow, or for another youth, starts afresh."""
    if state.flow != card_flow:
        return True
    return "case_id" in value and str(value["case_id"]) != str(state.data.get("case_id"))


async def _advance(
    flow: Flow, state: FlowState, turn: Turn
) -> tuple[list[Reply], FlowState | None]:
    try:
        replies, ended = await flow.advance(state, turn)
    except NeedsConfirmation as error:
        # A judgement, not a refusal: the next "ja" at the summary says yes to it.
        state.data.pop(CONFIRM, None)
        state.data[CONFIRMED] = True
        return [Reply(text=str(error), suggestions=("ja", "ändra", "avbryt"))], state
    except CaseError as error:
        state.data.pop(CONFIRM, None)
        step = flow.current(state)
        again = [await flow.ask(step, state.data)] if step else []
        return [Reply(text=str(error)), *again], state
    return replies, None if ended else state


async def _interrupt(
    context: FlowContext,
    turn: Turn,
    match: CommandMatch,
    flow: Flow,
    step: Step,
    state: FlowState,
) -> list[Reply]:
    """Answer a command given mid-flow, then ask the open question again."""
    question = await flow.ask(step, state.data)
    if match.flow in ONE_SHOTS:
        replies = await ONE_SHOTS[match.flow](context, turn, match.rest)
        return [*replies, Reply(text=texts.BACK_TO.format(title=flow.title)), question]
    if match.flow in _READ_ONLY and match.rest:
        aside = FLOWS[match.flow](context)
        aside_state = FlowState(flow=aside.name, data=match.start)
        replies, ended = await aside.advance(aside_state, Turn(match.rest, None, turn.today))
        if ended:
            return [*replies, Reply(text=texts.BACK_TO.format(title=flow.title)), question]
    return [Reply(text=texts.BUSY.format(title=flow.title)), question]


async def _start(
    context: FlowContext, turn: Turn, command: str
) -> tuple[list[Reply], FlowState | None]:
    if command in _HELP:
        return [Reply(text=texts.HELP)], None
    if chat := small_talk_reply(turn.plain):
        return [chat], None
    match = match_command(turn.plain)
    if match is not None and match.flow in ONE_SHOTS:
        return await ONE_SHOTS[match.flow](context, turn, match.rest), None
    if match is None or (match.rest and not match.literal):
        # A command with words after it may still be a quick question ("visa försenade").
        recognition = recognise(turn.plain)
        if recognition.intent == Intent.SHOW_CASE:
            match = CommandMatch(FlowName.SHOW_CASE, {}, recognition.argument)
        elif recognition.intent is not None:
            return await answer(recognition, turn, context), None
        elif started := await start_report(context, turn):
            return started  # a report in one line: "ringde Elin igår, inget svar"
        elif match is None:
            suggestions = recognition.suggestions or texts.MAIN_SUGGESTIONS
            return [Reply(text=texts.NOT_UNDERSTOOD, suggestions=suggestions)], None
    if match.flow not in FLOWS:
        return [Reply(text=texts.NOT_UNDERSTOOD, suggestions=texts.MAIN_SUGGESTIONS)], None
    try:
        flow = FLOWS[match.flow](context)
    except CaseError as error:
        return [Reply(text=str(error))], None
    state = FlowState(flow=flow.name, data=match.start)
    if not match.rest:
        return await flow.start_replies(state), state
    return await _advance(flow, state, Turn(match.rest, None, turn.today))
