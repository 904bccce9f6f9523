"""No personnummer, names or note text in the logs, even with every logger at DEBUG."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.log_format import log_handler
from bot.log_privacy import MASK, MaskingFormatter, install_log_privacy, mask_personnummer
from storage.demo import fictitious_personnummer
from storage.models import ContactEvent, KaaCase
from tests.integration.teams import say
from tests.logging_state import preserved_logging

YEAR = date.today().year
PNR_TEXT = fictitious_personnummer(date(YEAR - 17, 3, 9), 61, "kvinna")
PNR_CARD = fictitious_personnummer(date(YEAR - 19, 8, 21), 62, "man")
PNR_BROKEN = fictitious_personnummer(date(YEAR - 19, 8, 21), 63, "man")
FIRST_TEXT, LAST_TEXT, GUARDIAN = "Lovisa", "Loggfriadotter", "Vårdnadshavare Hemligsson"
FIRST_CARD, LAST_CARD = "Ture", "Spårlösson"
NOTE = "Berättade om sin nya praktikplats hos bagaren"


def _wrong_check_digit(pnr: str) -> str:
    return pnr[:11] + str((int(pnr[11]) + 1) % 10)


def _forms(pnr: str) -> set[str]:
    return {pnr, pnr[2:], f"{pnr[:8]}-{pnr[8:]}", f"{pnr[2:8]}-{pnr[8:]}"}


SECRETS = {
    *_forms(PNR_TEXT),
    *_forms(PNR_CARD),
    *_forms(PNR_BROKEN),
    FIRST_TEXT,
    LAST_TEXT,
    "Hemligsson",
    FIRST_CARD,
    LAST_CARD,
    "praktikplats hos bagaren",
}


def _everything_logged(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(message)s")
    parts = []
    for record in records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
        parts.append(str(record.msg))
    return "\n".join(parts)


@pytest.fixture(params=["text", "json"])
def log_output(request) -> Iterator[tuple[str, io.StringIO]]:
    """The serving process's log handler in each format (KAA_LOG_FORMAT), into a buffer."""
    stream = io.StringIO()
    handler = log_handler(request.param, "Europe/Stockholm", stream)
    logging.getLogger().addHandler(handler)
    try:
        yield request.param, stream
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.fixture
def debug_everywhere(caplog, log_output):
    """The CLI's log setup, with every logger at DEBUG; all is restored afterwards."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    for name in ("aiohttp.access", "aiohttp.server", "aiohttp.client", "botbuilder", "msrest"):
        caplog.set_level(logging.DEBUG, logger=name)
    with preserved_logging("sqlalchemy.engine.Engine", "aiosqlite"):
        install_log_privacy()
        yield caplog


async def _register_by_text(client, connector) -> None:
    assert "personnummer" in (await say(client, connector, "registrera"))[-1]
    await say(client, connector, _wrong_check_digit(PNR_TEXT))
    await say(client, connector, PNR_TEXT)
    await say(client, connector, "L0visa")  # digits are refused
    await say(client, connector, FIRST_TEXT)
    await say(client, connector, "hjälp")
    await say(client, connector, LAST_TEXT)
    await say(client, connector, "imorgon")  # a future date is refused
    await say(client, connector, "idag")
    await say(client, connector, "blå")  # no such reason
    await say(client, connector, "inflyttad")
    replies = await say(client, connector, "inflyttad")
    await _answer_until_saved(client, connector, replies)


async def _answer_until_saved(client, connector, replies: list[str]) -> None:
    """Answer whatever the register flow still asks, until it says the youth is registered."""
    for _ in range(10):
        if any("registrerad i ärende" in reply for reply in replies):
            return
        question = replies[-1]
        if "Stämmer det här" in question:
            answer = "ja"
        elif "heter vårdnadshavaren" in question:
            answer = GUARDIAN
        elif "skyddad" in question.lower() or "(ja/nej)" in question:
            answer = "nej"
        elif "**jag**" in question:
            answer = "jag"
        else:
            answer = "-"
        replies = await say(client, connector, answer)
    if any("registrerad i ärende" in reply for reply in replies):
        return
    raise AssertionError(f"the register flow did not finish: {replies}")


async def _register_by_card(client, connector) -> None:
    await say(client, connector, "avbryt")
    await say(client, connector, "registrera")
    card = next(a for a in reversed(connector.sent) if a.get("attachments"))
    submit = dict(card["attachments"][0]["content"]["actions"][0]["data"])
    broken = {
        **submit,
        "personnummer": _wrong_check_digit(PNR_BROKEN),
        "first_name": FIRST_CARD,
        "last_name": LAST_CARD,
        "registered_on": "2999-01-01",
        "reason": "inflyttad",
        "source": "inflyttad",
    }
    replies = await say(client, connector, None, value=broken)
    assert any("Personnummer" in reply for reply in replies), replies
    fixed = {**broken, "personnummer": PNR_CARD, "registered_on": date.today().isoformat()}
    fixed["submission"] = f"{submit.get('submission', 'x')}-2"
    replies = await say(client, connector, None, value=fixed)
    await _answer_until_saved(client, connector, replies)


async def _log_contact_with_note(client, connector, case_id: int) -> None:
    value = {
        "flow": "kontakt",
        "submission": "contact-1",
        "case_id": str(case_id),
        "occurred_on": date.today().isoformat(),
        "channel": "telefon",
        "counterpart": "ungdomen",
        "outcome": "nadd",
        "note": NOTE,
    }
    replies = await say(client, connector, None, value=value)
    for _ in range(4):
        if any("sparad" in reply.lower() or "klart" in reply.lower() for reply in replies):
            return
        replies = await say(client, connector, "ja" if "Stämmer" in replies[-1] else "-")


async def _a_turn_that_fails(client, connector, monkeypatch) -> None:
    async def broken(*_args, **_kwargs):
        raise RuntimeError(f"database said no to {PNR_BROKEN} {FIRST_CARD} {NOTE}")

    monkeypatch.setattr("bot.handler.handle", broken)
    replies = await say(client, connector, f"visa {PNR_CARD}")
    monkeypatch.undo()
    assert any("något gick fel" in reply for reply in replies)


async def test_a_whole_scenario_leaves_no_personal_data_in_the_logs(
    demo_bot, connector, sessionmaker, debug_everywhere, log_output, monkeypatch
):
    await say(demo_bot, connector, "hjälp")
    await _register_by_text(demo_bot, connector)
    await _register_by_card(demo_bot, connector)
    async with sessionmaker() as session:
        first_case = await session.scalar(select(KaaCase.id).order_by(KaaCase.id).limit(1))
    await _log_contact_with_note(demo_bot, connector, first_case)
    for lookup in (f"visa {FIRST_TEXT}", f"visa {PNR_TEXT}", f"visa {LAST_CARD[:-1]}"):
        await say(demo_bot, connector, "avbryt")
        await say(demo_bot, connector, lookup)
    await _a_turn_that_fails(demo_bot, connector, monkeypatch)
    await demo_bot.post(
        "/api/messages",
        data=f'{{"type": "message", "text": "{PNR_TEXT}"',
        headers={"Content-Type": "application/json"},
    )

    async with sessionmaker() as session:
        notes = list(await session.scalars(select(ContactEvent.note)))
        registered = len(list(await session.scalars(select(KaaCase))))
    assert registered == 2
    assert notes == [NOTE], "the scenario should have logged the contact with its note"

    records = debug_everywhere.records
    names = {record.name for record in records}
    assert "aiohttp.access" in names, names
    logged = _everything_logged(records)
    assert "Turn failed: RuntimeError" in logged, "the failing turn should have been logged"
    assert len(records) > 20
    leaks = sorted(secret for secret in SECRETS if secret in logged)
    assert leaks == [], f"found in the logs: {leaks}"
    _check_written(*log_output)


def _check_written(log_format: str, stream: io.StringIO) -> None:
    """What the handler wrote: the failing turn, no secrets, every JSON line parses."""
    written = stream.getvalue()
    assert "Turn failed: RuntimeError" in written
    assert sorted(secret for secret in SECRETS if secret in written) == []
    if log_format == "json":
        entries = [json.loads(line) for line in written.splitlines()]
        assert len(entries) > 20
        assert all(datetime.fromisoformat(entry["time"]).tzinfo for entry in entries)
        failed = next(entry for entry in entries if entry["message"] == "Turn failed: RuntimeError")
        assert failed["turn"] and failed["conversation"]


@pytest.mark.parametrize(
    "text",
    [
        "200803091234",
        "20080309-1234",
        "080309-1234",
        "080309+1234",
        "0803091234",
        "pnr=200803091234;",
        "(080309-1234)",
    ],
)
def test_personnummer_shapes_are_masked(text):
    masked = mask_personnummer(text)
    assert MASK in masked
    assert "1234" not in masked


@pytest.mark.parametrize(
    "text", ["case 12", "port 3978", "2026-03-15", "12345678901234", "tid 123456789"]
)
def test_other_numbers_are_left_alone(text):
    assert mask_personnummer(text) == text


def test_the_formatter_masks_message_arguments_and_tracebacks():
    logger = logging.getLogger("tests.masking")
    formatter = MaskingFormatter(logging.Formatter("%(levelname)s %(message)s"))
    try:
        raise ValueError("bad input 20080309-1234")
    except ValueError:
        record = logger.makeRecord(
            logger.name,
            logging.ERROR,
            __file__,
            1,
            "user wrote %s",
            ("0803091234",),
            exc_info=sys.exc_info(),
        )
    output = formatter.format(record)
    assert output.startswith("ERROR user wrote " + MASK)
    assert "Traceback" in output and "1234" not in output


def test_installing_wraps_every_root_handler_once(restore_logging):
    root = logging.getLogger()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(handler)
    try:
        install_log_privacy()
        install_log_privacy()
        assert isinstance(handler.formatter, MaskingFormatter)
        record = logging.makeLogRecord({"msg": "pnr 200803091234", "levelno": logging.INFO})
        assert handler.format(record) == f"pnr {MASK}"
        assert logging.getLogger("aiosqlite").filters
    finally:
        root.removeHandler(handler)


@pytest.fixture
def restore_logging():
    with preserved_logging("sqlalchemy.engine.Engine", "aiosqlite"):
        yield
