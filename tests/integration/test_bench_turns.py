"""The turns benchmark runs end to end in its quickest form (full size: `python -m bench.turns`),
whatever KAA_* variables or `.env` the developer's shell has: it builds its bots' environment."""

from __future__ import annotations

import json

from bench.activities import SCENARIOS
from bench.processes import child_environment
from bench.turn_report import print_report
from bench.turns import QUICK, main


def test_children_get_only_the_environment_built_for_them(monkeypatch):
    monkeypatch.setenv("KAA_DATABASE_URL", "postgresql+asyncpg://elsewhere/kaa")
    monkeypatch.setenv("MicrosoftAppId", "11111111-1111-1111-1111-111111111111")

    environment = child_environment(KAA_REMINDERS="0")

    assert environment["KAA_REMINDERS"] == "0"
    assert "KAA_DATABASE_URL" not in environment and "MicrosoftAppId" not in environment


def test_quick_run_measures_both_bots(tmp_path, monkeypatch, capsys):
    # Were either to reach the bot, it would fail to start or not be anonymous.
    (tmp_path / ".env").write_text("KAA_DATABASE_URL=postgresql+asyncpg://nowhere/kaa\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAA_ALLOWED_TENANTS", "00000000-0000-0000-0000-000000000000")

    assert main(["--quick", "--json"]) == 0

    result = json.loads(capsys.readouterr().out)
    rounds, turns = QUICK["rounds"], QUICK["turns"]
    assert list(result["latency"]) == list(SCENARIOS)
    for scenario in result["latency"].values():
        for target in ("echo", "bot"):
            assert 0 < scenario[target]["p50_ms"] <= scenario[target]["p95_ms"]
        assert scenario["ratio_p50"] > 0 and scenario["ratio_p95"] > 0
        assert [run["target"] for run in scenario["rounds"]] == ["echo", "bot", "bot", "echo"]
        assert len(scenario["rounds"]) == 2 * rounds
        assert all(len(run["ms"]) == turns for run in scenario["rounds"])
    levels = [int(level) for level in QUICK["users"].split(",")]
    assert list(result["throughput"]) == [str(level) for level in levels]
    for level in result["throughput"].values():
        assert level["echo"]["turns_per_s"] > 0 and level["bot"]["turns_per_s"] > 0
        assert level["ratio"] > 0
    memory = result["memory"]
    marks = QUICK["rss_turns"].split(",")
    assert list(memory["after_turns_mb"]) == marks
    assert memory["after_start_mb"] > 0 and memory["turns_served"] == int(marks[-1])
    # Every card turn of the latency rounds and of the memory run wrote one contact.
    assert result["contacts_written"] >= rounds * turns
    assert memory["contacts_written"] > 0

    print_report(result)
    report = capsys.readouterr().out
    assert "| vad har jag idag? |" in report and "tillväxt" in report
