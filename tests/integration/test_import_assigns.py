"""The import's `handlaggare` column, and `kaa-bot import --handlaggare`, also give known cases
without a coordinator one; a case that has one keeps it. Reported per row, on both databases."""

from __future__ import annotations

from sqlalchemy import select

from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.imports import import_file
from storage.models import AuditEntry, KaaCase, Staff, Youth
from tests.integration.kaa_bot import KaaBot
from tests.integration.test_imports import KNOWN, NEW_A, NEW_D, TODAY, pnr, setup_municipality

KEPT = pnr(8)


async def _holders(sessionmaker) -> dict[str, str | None]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Youth.personnummer, Staff.aad_object_id)
            .join(KaaCase, KaaCase.youth_id == Youth.id)
            .outerjoin(Staff, Staff.id == KaaCase.assigned_staff_id)
            .where(KaaCase.status == "active")
        )
        return dict(rows.all())


async def _with_kept_case(sessionmaker) -> tuple[CaseService, Actor]:
    """The municipality of test_imports, and a known case that Bo already holds."""
    cases, actor = await setup_municipality(sessionmaker)
    async with sessionmaker() as session:
        bo = await session.scalar(select(Staff).where(Staff.aad_object_id == "aad-staff-1"))
    await cases.register_youth(
        actor,
        RegistrationInput(
            KEPT, "Ebba", "Holm", TODAY, "inflyttad", "annan", assigned_staff_id=bo.id
        ),
        today=TODAY,
    )
    return cases, actor


def _file(*rows: str) -> bytes:
    return ("personnummer;fornamn;efternamn;handlaggare\n" + "\n".join(rows) + "\n").encode()


async def test_the_column_assigns_a_known_case_without_a_coordinator(sessionmaker):
    cases, actor = await _with_kept_case(sessionmaker)
    content = _file(
        f"{KNOWN};Maja;Lind;Cilla Samordnare",
        f"{KEPT};Ebba;Holm;aad-staff-2",
        f"{NEW_A};Elin;Berg;aad-staff-2",
    )

    result = await import_file(cases, actor, content, "intag.csv", TODAY)

    assert result.created == [4]
    assert [(k.row, k.assigned_to, k.kept_by) for k in result.known] == [
        (2, "Cilla Samordnare", None),
        (3, None, "Bo  Handläggare"),
    ]
    holders = await _holders(sessionmaker)
    assert (holders[KNOWN], holders[KEPT], holders[NEW_A]) == (
        "aad-staff-2",
        "aad-staff-1",
        "aad-staff-2",
    )
    summary = result.summary()
    assert "- 2 fanns redan i registret.\n" in summary
    assert "  - Rad 2: fick handläggaren Cilla Samordnare." in summary
    assert "  - Rad 3: har redan handläggaren Bo  Handläggare och behöll den." in summary
    for secret in (KNOWN, "Maja", "Ebba"):
        assert secret not in summary
    async with sessionmaker() as session:
        assigned = list(
            await session.scalars(
                select(AuditEntry.actor).where(AuditEntry.action == "case.assign")
            )
        )
    assert assigned == ["test"]
    again = await import_file(cases, actor, content, "intag.csv", TODAY)
    assert [(k.assigned_to, k.kept_by) for k in again.known] == [
        (None, None),
        (None, "Bo  Handläggare"),
        (None, None),
    ]


async def test_cli_handlaggare_for_a_whole_file(kaa_bot: KaaBot, sessionmaker, tmp_path):
    await _with_kept_case(sessionmaker)
    path = tmp_path / "intag.csv"
    path.write_bytes(
        _file(
            f"{KNOWN};Maja;Lind;",
            f"{KEPT};Ebba;Holm;",
            f"{NEW_A};Elin;Berg;",
            f"{NEW_D};Ella;Ek;Bo  Handläggare",
        )
    )

    base = ("import", str(path), "--municipality", "0580", "--handlaggare")
    code, _out, err = await kaa_bot(*base, "aad-nobody")
    assert code == 1 and "finns inte bland personalen" in err
    assert (await _holders(sessionmaker))[KNOWN] is None
    code, out, err = await kaa_bot(*base, "aad-staff-2")

    assert code == 0, err
    assert "  - Rad 2: fick handläggaren Cilla Samordnare." in out
    assert "  - Rad 3: har redan handläggaren Bo  Handläggare och behöll den." in out
    holders = await _holders(sessionmaker)
    assert holders[KNOWN] == holders[NEW_A] == "aad-staff-2"
    assert holders[KEPT] == holders[NEW_D] == "aad-staff-1"  # the row's own column wins
