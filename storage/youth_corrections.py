"""Correcting a youth's details and guardians, and completing a known youth from a file read
again: empty fields are filled in, a different value is reported and never overwritten."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.audit import Actor
from storage.case_base import CaseServiceBase
from storage.case_errors import CaseError, NotFound
from storage.case_inputs import GuardianInput, RegistrationInput
from storage.history import Changes, Record, apply_changes, write_history
from storage.models import Guardian, KaaCase, Youth
from storage.youth_fields import (
    ADDRESS_FIELDS,
    GUARDIAN_FIELDS,
    YOUTH_FIELDS,
    clean_guardian,
    clean_youth,
)

YOUTH_CORRECTABLE = (*YOUTH_FIELDS, "protected_identity")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class YouthCorrections(CaseServiceBase):
    @staticmethod
    async def _youth(session: AsyncSession, case: KaaCase) -> Youth:
        youth = await session.scalar(
            select(Youth).where(Youth.id == case.youth_id).options(selectinload(Youth.guardians))
        )
        assert youth is not None, "a case always has its youth"
        return youth

    async def correct_youth(
        self, actor: Actor, case_id: int, changes: dict[str, object]
    ) -> list[str]:
        """Correct the youth's details (names, contact details, address, protected identity)
        or the case's school; returns the fields that changed.

        Turning protected identity on removes the address, and the history does not keep it
        either: the point is that it is stored nowhere.
        """
        unknown = set(changes) - set(YOUTH_CORRECTABLE)
        if unknown:
            raise CaseError("Det går inte att ändra " + ", ".join(sorted(unknown)) + ".")
        values: dict[str, object] = {
            key: clean_youth(key, _text(value))
            for key, value in changes.items()
            if key != "protected_identity"
        }
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            youth = await self._youth(session, case)
            protected = bool(changes.get("protected_identity", youth.protected_identity))
            if protected and any(values.get(key) for key in ADDRESS_FIELDS):
                raise CaseError(
                    "Ungdomen har skyddade personuppgifter – då sparar jag ingen adress."
                )
            if protected:
                for key in ADDRESS_FIELDS:
                    setattr(youth, key, None)
                    values.pop(key, None)
            changed = (
                apply_changes(case, {"school": values.pop("school")})
                if ("school" in values)
                else {}
            )
            changed |= apply_changes(youth, {**values, "protected_identity": protected})
            if changed:
                write_history(session, actor, case, Record.YOUTH, youth.id, changed)
            return list(changed)

    async def add_guardian(self, actor: Actor, case_id: int, guardian: GuardianInput) -> int:
        values = {key: clean_guardian(key, getattr(guardian, key)) for key in GUARDIAN_FIELDS}
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            return await self._new_guardian(session, actor, case, values)

    @staticmethod
    async def _new_guardian(
        session: AsyncSession, actor: Actor, case: KaaCase, values: dict[str, str | None]
    ) -> int:
        added = Guardian(youth_id=case.youth_id, **values)
        session.add(added)
        await session.flush()
        write_history(
            session,
            actor,
            case,
            Record.GUARDIAN,
            added.id,
            {key: (None, value) for key, value in values.items() if value},
        )
        return added.id

    async def correct_guardian(
        self, actor: Actor, case_id: int, guardian_id: int, changes: dict[str, object]
    ) -> list[str]:
        unknown = set(changes) - set(GUARDIAN_FIELDS)
        if unknown:
            raise CaseError("Det går inte att ändra " + ", ".join(sorted(unknown)) + ".")
        values = {key: clean_guardian(key, _text(value)) for key, value in changes.items()}
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            guardian = await self._guardian(session, case, guardian_id)
            changed = apply_changes(guardian, values)
            if changed:
                write_history(session, actor, case, Record.GUARDIAN, guardian.id, changed)
            return list(changed)

    async def remove_guardian(self, actor: Actor, case_id: int, guardian_id: int) -> None:
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            guardian = await self._guardian(session, case, guardian_id)
            gone = {key: (getattr(guardian, key), None) for key in GUARDIAN_FIELDS}
            await session.delete(guardian)
            write_history(session, actor, case, Record.GUARDIAN, guardian_id, gone)

    @staticmethod
    async def _guardian(session: AsyncSession, case: KaaCase, guardian_id: int) -> Guardian:
        guardian = await session.get(Guardian, guardian_id)
        if guardian is None or guardian.youth_id != case.youth_id:
            raise NotFound("Hittar ingen sådan vårdnadshavare för ungdomen.")
        return guardian

    async def _complete_youth(
        self,
        session: AsyncSession,
        actor: Actor,
        youth: Youth,
        case: KaaCase,
        data: RegistrationInput,
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Fill the known youth's empty fields from `data` (tidy already), in the caller's
        transaction; returns the fields filled in and the fields whose value differs."""
        changed: Changes = {}
        differing: list[str] = []
        if data.protected_identity and not youth.protected_identity:
            for key in ADDRESS_FIELDS:
                setattr(youth, key, None)
            changed |= apply_changes(youth, {"protected_identity": True})
        elif data.protected_identity is False and youth.protected_identity:
            differing.append("protected_identity")
        for key in YOUTH_FIELDS:
            given = getattr(data, key)
            if given is None or (youth.protected_identity and key in ADDRESS_FIELDS):
                continue
            target = case if key == "school" else youth
            stored = getattr(target, key)
            if stored is None:
                changed |= apply_changes(target, {key: given})
            elif stored != given:
                differing.append(key)
        filled = list(changed)
        if changed:
            write_history(session, actor, case, Record.YOUTH, youth.id, changed)
        for given in data.guardians:
            same = next(
                (g for g in youth.guardians if g.name.casefold() == given.name.casefold()), None
            )
            if same is None:
                # A guardian is added where there is none; another name is only reported.
                if youth.guardians:
                    differing.append("guardian")
                else:
                    values = {key: getattr(given, key) for key in GUARDIAN_FIELDS}
                    await self._new_guardian(session, actor, case, values)
                    filled.append("guardian")
                continue
            guardian_changes: Changes = {}
            for key in ("phone", "email"):
                value, stored = getattr(given, key), getattr(same, key)
                if value is not None and stored is None:
                    guardian_changes |= apply_changes(same, {key: value})
                elif value is not None and stored != value:
                    differing.append(f"guardian_{key}")
            if guardian_changes:
                write_history(session, actor, case, Record.GUARDIAN, same.id, guardian_changes)
                filled += [f"guardian_{key}" for key in guardian_changes]
        if filled:
            self.changed = True
        return tuple(filled), tuple(differing)
