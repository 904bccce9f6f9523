"""Every flow name a command, a card's button or a reminder's Klar starts has its dialog."""

from __future__ import annotations

from contextlib import nullcontext

from dialogs.commands import COMMANDS
from dialogs.context import FlowContext
from dialogs.conversation import FLOWS, ONE_SHOTS
from dialogs.digest import FLOW_FOR_KIND
from dialogs.flow_names import FlowName, OneShotName
from dialogs.show_case import ACTIONS
from storage.audit import Actor
from storage.cases import CaseService


def test_every_flow_name_has_its_dialog_under_that_name() -> None:
    # Building a flow reads nothing: the session source is never called.
    context = FlowContext(CaseService(lambda: nullcontext()), Actor("test", 1, "admin", 1))
    assert set(FlowName) <= set(FLOWS)
    assert all(FLOWS[name](context).name == name for name in FLOWS)


def test_every_one_shot_name_has_its_answer() -> None:
    assert set(ONE_SHOTS) == set(OneShotName)
    assert not set(OneShotName) & set(FLOWS)


def test_what_starts_a_flow_names_one() -> None:
    started = (
        {command.flow for command in COMMANDS.values()}
        | set(FLOW_FOR_KIND.values())
        | {flow for _title, flow in ACTIONS}
    )
    assert started <= set(FlowName) | set(OneShotName)
