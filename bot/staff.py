"""Who is writing: a staff member of a municipality, or nobody the bot may serve."""

from __future__ import annotations

from storage.audit import Actor
from storage.caseload import deactivated
from storage.cases import CaseService
from storage.codes import Role
from storage.demo import share_demo_cases
from storage.models import Staff

DEMO_ACTOR = Actor(label="demo", municipality_id=None, role=Role.SYSTEM)


def actor_for(staff: Staff) -> Actor:
    return Actor(
        label=f"personal:{staff.id}",
        municipality_id=staff.municipality_id,
        role=staff.role,
        staff_id=staff.id,
    )


class StaffDirectory:
    """In demo mode, anyone who writes becomes a coordinator of the demo municipality
    (unless they were deactivated there), and the first one gets some of its youths."""

    def __init__(self, cases: CaseService, demo_municipality: str | None = None) -> None:
        self._cases = cases
        self._demo_municipality = demo_municipality

    async def resolve(self, *, aad_object_id: str | None, name: str | None) -> Actor | None:
        if not aad_object_id:
            return None
        staff = await self._cases.staff_by_aad_id(aad_object_id)
        if staff is None and self._demo_municipality is not None:
            if await deactivated(self._cases.sessionmaker, aad_object_id):
                return None  # someone who left is not made staff again
            staff = await self._cases.add_staff(
                DEMO_ACTOR,
                aad_object_id=aad_object_id,
                # A display name is only a label here: cut to what the staff table holds.
                name=(name or "").strip()[: Staff.name.type.length] or "Demoanvändare",
                role=Role.COORDINATOR,
                municipality_code=self._demo_municipality,
            )
            await share_demo_cases(self._cases, staff)
        return actor_for(staff) if staff is not None else None
