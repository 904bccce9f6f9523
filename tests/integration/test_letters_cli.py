"""`kaa-bot brev` and the municipality's letter settings, on both databases."""

from __future__ import annotations

import json

import pytest

from tests.integration.letter_world import letter_world
from tests.pdf_text import pdf_pages


@pytest.fixture
async def world(sessionmaker):
    return await letter_world(sessionmaker)


def test_contact_letters_for_all_new_then_no_first_contact_reminder(world, run, tmp_path):
    out = tmp_path / "brev.pdf"
    args = ("brev", "kontaktbrev", "--municipality", "0580", "--alla-nya", "--out", str(out))
    written = run(*args, "--date", "2026-03-18")
    assert written.exit_code == 0, written.output
    assert "3 brev (kontaktbrev) för 2 ungdomar" in written.output
    assert "3 kontaktförsök med brev registrerades 2026-03-18" in written.output
    assert f"ärende {world.homeless} (ungdomen)" in written.output
    assert "Olle" not in written.output and "Elin" not in written.output  # numbers only
    pages = pdf_pages(out.read_bytes())
    for name in ("Elin", "Sara"):
        page = next(page for page in pages if f"Hej {name}!" in page)
        assert "det kommunala aktivitetsansvaret" in page

    again = run(*args, "--date", "2026-03-18")
    assert "redan registrerade" in again.output

    reminders = run("reminders", "run", "--date", "2026-03-25", "--dry-run", "--json")
    assert reminders.exit_code == 0, reminders.output
    items = json.loads(reminders.output)
    first_contact = {item["case_id"] for item in items if item["kind"] == "first_contact"}
    assert first_contact == {world.homeless, world.other}  # no letter: no address / not 0580


def test_brev_refuses_what_it_cannot_do(world, run, tmp_path):
    out = str(tmp_path / "x.pdf")
    both = run(
        "brev", "kontaktbrev", "--municipality", "0580", "--alla-nya", "--case", "1", "--out", out
    )
    assert both.exit_code == 2 and "Ange ett av" in both.output
    other = run(
        "brev", "kontaktbrev", "--municipality", "0580", "--case", str(world.other), "--out", out
    )
    assert other.exit_code == 1 and "Hittar inte" in other.output
    nobody = run(
        "brev", "kontaktbrev", "--municipality", "0580", "--case", str(world.homeless), "--out", out
    )
    assert nobody.exit_code == 1 and "Adress saknas" in nobody.output
    assert not (tmp_path / "x.pdf").exists()


def test_contact_settings_are_validated(world, run):
    bad = run(
        "municipality", "contact", "--municipality", "0580", "--name", "K1m", "--phone", "abc"
    )
    assert bad.exit_code == 2
    assert "med bokstäver" in bad.output and "med siffror" in bad.output
    good = run(
        "municipality",
        "contact",
        "--municipality",
        "0580",
        "--name",
        "Lisa L",
        "--phone",
        "013-1234",
    )
    assert good.exit_code == 0, good.output
    assert "Lisa L, 013-1234" in good.output


def test_own_templates_are_checked_then_used(world, run, tmp_path):
    folder = tmp_path / "mallar"
    copied = run(
        "municipality", "letters", "--municipality", "0580", "--dir", str(folder), "--copy-shipped"
    )
    assert copied.exit_code == 0, copied.output
    own = folder / "sv" / "samtycke.md"
    own.write_text("# Hej {förnamn}\nRing {telefonnummer}.\n", encoding="utf-8")
    refused = run("municipality", "letters", "--municipality", "0580", "--dir", str(folder))
    assert refused.exit_code == 1
    assert "sv/samtycke.md, rad 2: okänd platshållare {telefonnummer}" in refused.output
    own.write_text("# Hej {fornamn} från {KOMMUN}\nRing **{telefon}**.\n", encoding="utf-8")
    accepted = run("municipality", "letters", "--municipality", "0580", "--dir", str(folder))
    assert accepted.exit_code == 0, accepted.output
    out = tmp_path / "samtycke.pdf"
    written = run(
        "brev", "samtycke", "--municipality", "0580", "--case", str(world.minor), "--out", str(out)
    )
    assert written.exit_code == 0, written.output
    assert "Hej Elin från Linköpings kommun" in pdf_pages(out.read_bytes())[0]
    shipped = run("municipality", "letters", "--municipality", "0580", "--shipped")
    assert shipped.exit_code == 0 and "medföljande" in shipped.output
