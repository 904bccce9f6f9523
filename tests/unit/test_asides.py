"""A table of every kind of step against every quick-question phrasing: a question typed
where an answer is awaited is answered beside the flow, unless it has the form of the answer.

The flows are the real ones; their case store is never reached for these texts (a question
is no personnummer, name or number), which the context below would report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from dialogs.asides import aside_of
from dialogs.close_case import close_case_flow
from dialogs.contact import contact_flow
from dialogs.context import FlowContext
from dialogs.correct import correct_flow
from dialogs.correct_fields import NEW_TEXT, NEW_VALUE
from dialogs.engine import TODAY as TODAY_KEY
from dialogs.engine import Flow, FlowState, Step, Turn
from dialogs.intents import PHRASES, SUGGESTION
from dialogs.measure import evaluate_measure_flow, measure_flow
from dialogs.occupation import occupation_flow
from dialogs.plan import plan_flow
from dialogs.register import register_flow
from dialogs.sentence_chat import PROPOSAL_FLOWS
from storage import codes
from storage.audit import Actor
from storage.cases import CaseService

TODAY = date(2026, 3, 18)


def _no_database() -> Any:
    raise AssertionError("a quick question must not reach the case store")


CONTEXT = FlowContext(CaseService(_no_database), Actor("test", 1, "coordinator", 1))
CASE = {
    "case_id": 7,
    "case_label": "Elin Berg (ärende 7)",
    "case_version": 1,
    "case_registered_on": "2026-01-10",
    "protected": False,
    "address": None,
    "open_measures": {"3": "praktik"},
    "measures": {"3": "praktik"},
    "measure_starts": {"3": (TODAY + timedelta(days=7)).isoformat()},
    "measure_types": codes.MEASURE_TYPES,
    "planned_visits": {},
    TODAY_KEY: TODAY.isoformat(),
}
CONTACT = {**CASE, "occurred_on": "2026-03-17", "channel": "telefon", "counterpart": "ungdomen"}
REGISTER = {"personnummer": "200805171234", "under_18": False}
REGISTER_NAMED = {
    **REGISTER,
    "first_name": "Elin",
    "last_name": "Berg",
    "registered_on": "2026-03-18",
    "reason": "annan",
    "source": "annan",
}
RECORDS = {
    "records": {
        "youth": {"phone": "070-111 22 33", "protected_identity": False, "first_name": "Elin"},
        "guardian": {},
        "contact": {"5": {"label": "2026-03-17 telefon", "note": None}},
    },
    "youth_name": "Elin Berg",
}

# (kind of step, flow, data that leaves the flow at that step)
STEPS: list[tuple[str, Callable[[FlowContext], Flow], dict[str, Any]]] = [
    ("vilken ungdom", contact_flow, {}),
    ("datum som har varit", contact_flow, CASE),
    ("val: kanal", contact_flow, {**CASE, "occurred_on": "2026-03-17"}),
    ("val: utfall", contact_flow, CONTACT),
    ("valfritt val", contact_flow, {**CONTACT, "outcome": "nadd"}),
    ("fritext", contact_flow, {**CONTACT, "outcome": "nadd", "occupation": None}),
    (
        "sammanfattning",
        contact_flow,
        {**CONTACT, "outcome": "nadd", "occupation": None, "note": None},
    ),
    ("val: avregistreringsorsak", close_case_flow, {**CASE, "deregistered_on": "2026-03-18"}),
    ("personnummer", register_flow, {}),
    ("namn", register_flow, REGISTER),
    ("datum: registrering", register_flow, {**REGISTER, "first_name": "E", "last_name": "B"}),
    ("ja/nej: skyddad", register_flow, REGISTER_NAMED),
    ("telefon", register_flow, {**REGISTER_NAMED, "protected_identity": False}),
    ("omfattning", occupation_flow, {**CASE, "kind": "arbete"}),
    ("datum framåt", plan_flow, {**CASE, "goals": "Mål", "needs": None, "expectations": None}),
    ("datum med gräns", evaluate_measure_flow, {**CASE, "measure_id": "3"}),
    ("val: insatstyp", measure_flow, CASE),
    ("ändra: vad", correct_flow, {**CASE, **RECORDS}),
    ("ändra: ny text", correct_flow, {**CASE, **RECORDS, "target": "first_name"}),
    ("ändra: nytt telefonnummer", correct_flow, {**CASE, **RECORDS, "target": "phone"}),
    ("förslag: ja eller nej", PROPOSAL_FLOWS["forslag_kontakt"], {**CASE, "question": "Ok?"}),
]
PHRASINGS = sorted(
    {phrase for phrases in PHRASES.values() for phrase in phrases} | set(SUGGESTION.values())
)
DATES = {"idag", "i dag"}
# Texts that are a quick question and also, by their form, an answer to the step.
ANSWERS: dict[str, set[str]] = {
    "datum som har varit": DATES,
    "datum: registrering": DATES,
    "datum framåt": DATES,
    "datum med gräns": DATES,  # `idag` is before the measure's start: its error is shown
    "val: utfall": {"ej nadda"},  # a close typo of "ej nådd"
}


def _step(flow: Flow, data: dict[str, Any]) -> Step:
    step = flow.current(FlowState(flow.name, dict(data)))
    assert step is not None
    return step


def test_the_table_reaches_every_kind_of_step():
    kinds = {
        (step.free_text, step.key)
        for _kind, factory, data in STEPS
        for step in [_step(factory(CONTEXT), data)]
    }
    keys = {key for _free, key in kinds}
    assert {"case_id", "occurred_on", "channel", "note", "confirm", "personnummer"} <= keys
    assert {NEW_TEXT, NEW_VALUE, "extent", "accept", "target"} <= keys
    assert {True, False} == {free for free, _key in kinds}


@pytest.mark.parametrize(("kind", "factory", "data"), STEPS, ids=[kind for kind, *_ in STEPS])
async def test_a_quick_question_is_answered_beside_the_flow(kind, factory, data):
    step = _step(factory(CONTEXT), data)
    taken = []
    for phrase in PHRASINGS:
        aside = await aside_of(step, Turn(phrase, None, TODAY), data)
        if aside is None:
            taken.append(phrase)
        else:
            assert aside.question is not None and aside.question.intent is not None, phrase
    assert set(taken) == ANSWERS.get(kind, set()), kind


async def test_a_failing_answer_that_is_also_a_question_is_the_answer():
    flow = evaluate_measure_flow(CONTEXT)
    data = {**CASE, "measure_id": "3"}
    step = _step(flow, data)
    assert await aside_of(step, Turn("idag", None, TODAY), data) is None
    with pytest.raises(Exception, match="före insatsens start"):
        await step.answer(Turn("idag", None, TODAY), dict(data))
