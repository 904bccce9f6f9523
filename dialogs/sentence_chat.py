"""A one-line report in the 1:1 chat: the ordinary flow, started with what was understood.

"ringde Elin igår men fick inget svar" starts the contact flow with the youth, date, channel,
counterpart and outcome filled in through the flow's own steps (so the same checks apply:
no contact in the future, the sensitive-data warning on the note); only what is missing is
asked, then the flow's summary, and `ja` saves through the flow's own service calls. Several
youths that fit are offered as buttons. A sentence that only hints at a report, or names
the youth with a typo, first becomes a question ("Vill du logga en kontakt med Elin Karlsson
(ärende 12)?"): the proposal flow, which is the ordinary flow with that question in front.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from dialogs import contact, home_visit, measure, occupation
from dialogs.choices import parse_yes_no
from dialogs.context import FlowContext
from dialogs.engine import CONFIRM, Flow, FlowState, InputError, Reply, Step, Turn
from dialogs.pick_case import CASE_KEY
from dialogs.sentence import Kind, Report, read_report
from storage import codes

FlowFactory = Callable[[FlowContext], Flow]

_FLOWS: dict[str, FlowFactory] = {
    contact.NAME: contact.contact_flow,
    home_visit.NAME: home_visit.home_visit_flow,
    occupation.NAME: occupation.occupation_flow,
    measure.NEW: measure.measure_flow,
}
_FLOW_OF: dict[Kind, str] = {
    Kind.CONTACT: contact.NAME,
    Kind.VISIT: home_visit.NAME,
    Kind.VISIT_PLAN: home_visit.NAME,
    Kind.VISIT_DONE: home_visit.NAME,
    Kind.OCCUPATION: occupation.NAME,
    Kind.MEASURE: measure.NEW,
}
# What the question before an unsure report offers to do, with the youth's label after it.
_OFFER = {
    Kind.CONTACT: "logga en kontakt med",
    Kind.VISIT: "dokumentera eller planera ett hembesök hos",
    Kind.VISIT_PLAN: "planera ett hembesök hos",
    Kind.VISIT_DONE: "dokumentera ett hembesök hos",
    Kind.OCCUPATION: "spara en ny sysselsättning för",
    Kind.MEASURE: "dokumentera en insats för",
}
_PROPOSAL = "forslag"
_ACCEPT = "accept"
_QUESTION = "question"


async def start_report(context: FlowContext, turn: Turn) -> tuple[list[Reply], FlowState] | None:
    """The flow a report starts, and its first replies; None when the text is no report."""
    if not turn.plain:
        return None
    names = await context.queries.names(context.actor)
    report = read_report(turn.plain, names, turn.today)
    if report.kind is None:
        return None
    flow = _FLOWS[_FLOW_OF[report.kind]](context)
    data: dict[str, Any] = {}
    replies = _notices(report)
    errors = await _choose_case(context, flow, report, turn, data)
    errors += await _prefill(flow, data, _answers(report), turn.today)
    replies += [Reply(text=error) for error in errors]
    if CASE_KEY in data and not report.sure:
        proposal = proposal_flow(flow)
        data[_QUESTION] = f"Vill du {_OFFER[report.kind]} {data['case_label']}?"
        state = FlowState(flow=proposal.name, data=data)
        return [*replies, await proposal.ask(proposal.steps[0], data)], state
    state = FlowState(flow=flow.name, data=data)
    return [*replies, await _question(flow, state)], state


async def _question(flow: Flow, state: FlowState) -> Reply:
    step = flow.current(state)
    assert step is not None, "the confirmation is never filled in beforehand"
    reply = await flow.ask(step, state.data)
    if step.key == CONFIRM:
        return reply
    if step.key == CASE_KEY and state.data.get("case_choices"):
        return Reply(
            text="Jag hittade flera som passar. Vem menar du?", suggestions=reply.suggestions
        )
    lead = f"**{flow.title}** – jag har fyllt i det jag förstod."
    return Reply(text=f"{lead}\n\n{reply.text}", suggestions=reply.suggestions)


def _notices(report: Report) -> list[Reply]:
    """What the sentence said that the record cannot keep."""
    notices = []
    if report.many:
        notices.append("Jag loggar en ungdom i taget.")
    if report.unknown_name:
        notices.append(
            f"Jag hittar ingen ungdom som heter ”{report.unknown_name}” bland de aktiva "
            "ärendena i din kommun."
        )
    if report.time:
        notices.append(f"Klockslaget ({report.time}) sparar jag inte, bara dagen.")
    if report.note and report.kind == Kind.VISIT_PLAN:
        notices.append(f"Det här sparas inte i ett planerat hembesök: ”{report.note}”.")
    return [Reply(text=" ".join(notices))] if notices else []


async def _choose_case(
    context: FlowContext, flow: Flow, report: Report, turn: Turn, data: dict[str, Any]
) -> list[str]:
    """The youth through the flow's own case step (which reads and audits the case); several
    that fit are kept as the choices the step offers."""
    if len(report.case_ids) > 1:
        briefs = await context.queries.by_ids(context.actor, list(report.case_ids))
        data["case_choices"] = [brief.label for brief in briefs]
        return []
    said = (
        str(report.case_ids[0])
        if report.case_ids
        else f"ärende {report.case_number}"
        if report.case_number
        else report.personnummer
    )
    if said is None:
        return []
    return await _answer(flow.steps[0], said, data, turn.today)


def _answers(report: Report) -> dict[str, str | None]:
    """The text each step of the report's flow is answered with; None skips an optional step
    the sentence said nothing about (the note, an occupation)."""
    day = report.day.isoformat() if report.day else None
    note = report.note
    if report.kind == Kind.CONTACT:
        return _said(
            occurred_on=day,
            channel=report.channel,
            counterpart=report.counterpart,
            outcome=report.outcome,
        ) | {"occupation": report.occupation, "note": note}
    if report.kind == Kind.VISIT_PLAN:
        return _said(
            mode=home_visit.PLAN,
            planned_on=day,
            second_staff=report.companion,
            notice_sent_on="idag" if report.notice else None,
        )
    if report.kind == Kind.VISIT_DONE:
        return _said(
            mode=home_visit.RESULT,
            visited_on=day,
            outcome=report.outcome,
            second_staff=report.companion,
        ) | {"note": note}
    if report.kind == Kind.VISIT:
        return _said(second_staff=report.companion, note=note)
    if report.kind == Kind.OCCUPATION:
        return _said(
            kind=report.occupation,
            extent=str(report.extent) if report.extent else None,
            valid_from=day,
        ) | {"note": note}
    measure = codes.MEASURE_TYPES.get(report.measure_type or "")
    return _said(measure_type=measure, offer=report.offer, starts_on=day) | {"description": note}


def _said(**answers: str | None) -> dict[str, str | None]:
    return {key: value for key, value in answers.items() if value is not None}


async def _prefill(
    flow: Flow, data: dict[str, Any], answers: dict[str, str | None], today: date
) -> list[str]:
    """Answer the flow's steps in order, as if typed; what a step refuses is asked again."""
    errors = []
    for step in flow.steps:
        if step.key not in answers or step.key in data or step.skip_if(data):
            continue
        value = answers[step.key]
        if value is None:
            if step.optional:
                data[step.key] = None
            continue
        errors += await _answer(step, value, data, today)
    return errors


async def _answer(step: Step, text: str, data: dict[str, Any], today: date) -> list[str]:
    try:
        data[step.key] = await step.answer(Turn(text=text, value=None, today=today), data)
    except InputError as error:
        return [f"**{step.label}:** {error}"]
    return []


def _declined(data: dict[str, Any]) -> bool:
    return data.get(_ACCEPT) is False


def _unless_declined(step: Step) -> Step:
    skip = step.skip_if
    return replace(step, skip_if=lambda data: _declined(data) or skip(data))


def proposal_flow(flow: Flow) -> Flow:
    """The flow with a yes-or-no question in front: `nej` ends it with nothing saved."""

    def parse(turn: Turn, _data: dict[str, Any]) -> bool:
        return parse_yes_no(turn, _ACCEPT)

    accept = Step(
        _ACCEPT,
        "Förslag",
        lambda data: Reply(text=data[_QUESTION], suggestions=("ja", "nej")),
        parse,
        "Svara **ja** om jag har förstått dig rätt, så fyller jag i resten med dig. "
        "Svara **nej** så sparar jag inget.",
        fixed=True,
    )

    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        if _declined(data):
            return [Reply(text="Okej, då sparar jag inget.")]
        return await flow.finish(data, turn)

    return Flow(
        name=f"{_PROPOSAL}_{flow.name}",
        title=flow.title,
        steps=(accept, *map(_unless_declined, flow.steps)),
        finish=finish,
        card=flow.card,
        card_after=flow.card_after,
    )


def _proposing(factory: FlowFactory) -> FlowFactory:
    return lambda context: proposal_flow(factory(context))


# The proposal flows by name, for the conversation's registry of flows.
PROPOSAL_FLOWS: dict[str, FlowFactory] = {
    f"{_PROPOSAL}_{name}": _proposing(factory) for name, factory in _FLOWS.items()
}
