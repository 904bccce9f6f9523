"""What a flow needs to act for the person it talks to."""

from __future__ import annotations

from dataclasses import dataclass

from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import CaseService


@dataclass(frozen=True)
class FlowContext:
    cases: CaseService
    actor: Actor

    @property
    def queries(self) -> CaseQueries:
        return CaseQueries(self.cases.sessionmaker)
