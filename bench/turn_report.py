"""What `bench.turns` reports: per scenario p50/p95 and their ratios, turns per second, RSS."""

from __future__ import annotations

import statistics
from typing import Any

from bench.percentiles import percentile

LABELS = {
    "hjälp": "hjälp",
    "visa": "visa NAMN",
    "kontakt": "kontakt med kort",
    "idag": "vad har jag idag?",
}
TARGETS = ("echo", "bot")
_CPU = ("CPU/tur eko", "CPU/tur boten")


def latency_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """p50 and p95 over every turn of every round, per bot, and the bot's over the echo's."""
    summary: dict[str, Any] = {}
    for target in TARGETS:
        mine = [run for run in runs if run["target"] == target]
        samples = [ms for run in mine for ms in run["ms"]]
        summary[target] = {
            "p50_ms": round(percentile(samples, 0.5), 2),
            "p95_ms": round(percentile(samples, 0.95), 2),
            "cpu_ms_per_turn": round(statistics.median(r["cpu_ms_per_turn"] for r in mine), 1),
        }
    for key in ("p50", "p95"):
        ratio = summary["bot"][f"{key}_ms"] / summary["echo"][f"{key}_ms"]
        summary[f"ratio_{key}"] = round(ratio, 2)
    summary["rounds"] = runs
    return summary


def throughput_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median turns per second over the runs, per bot, and the bot's over the echo's."""
    summary: dict[str, Any] = {}
    for target in TARGETS:
        mine = [run for run in runs if run["target"] == target]
        summary[target] = {
            "turns_per_s": round(statistics.median(r["turns_per_s"] for r in mine), 1),
            "cpu_ms_per_turn": round(statistics.median(r["cpu_ms_per_turn"] for r in mine), 1),
        }
    summary["ratio"] = round(summary["bot"]["turns_per_s"] / summary["echo"]["turns_per_s"], 2)
    summary["rounds"] = runs
    return summary


def _table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def print_report(result: dict[str, Any]) -> None:
    settings = result["settings"]
    print(
        f"Latens: {settings['rounds']} omgångar × {settings['turns_per_round']} turer per "
        "scenario och bot, eko och boten växelvis\n"
    )
    _table(
        ["scenario", "eko p50", "eko p95", "boten p50", "boten p95", "kvot p50", "kvot p95", *_CPU],
        [
            [
                LABELS[scenario],
                *(_ms(row[target][key]) for target in TARGETS for key in ("p50_ms", "p95_ms")),
                f"{row['ratio_p50']:.2f}x",
                f"{row['ratio_p95']:.2f}x",
                *(_ms(row[target]["cpu_ms_per_turn"]) for target in TARGETS),
            ]
            for scenario, row in result["latency"].items()
        ],
    )
    print(
        f"\nGenomströmning: {settings['throughput_rounds']} körningar à "
        f"{settings['throughput_seconds']:g} s per bot och nivå, växelvis, median\n"
    )
    _table(
        ["samtidiga användare", "eko turer/s", "boten turer/s", "kvot", *_CPU],
        [
            [
                users,
                *(f"{row[target]['turns_per_s']:.1f}" for target in TARGETS),
                f"{row['ratio']:.2f}x",
                *(_ms(row[target]["cpu_ms_per_turn"]) for target in TARGETS),
            ]
            for users, row in result["throughput"].items()
        ],
    )
    memory = result["memory"]
    readings = ", ".join(
        f"efter {int(turns):,} turer {mb:.0f} MB".replace(",", " ")
        for turns, mb in memory["after_turns_mb"].items()
    )
    print(
        f"\nMinne (VmRSS, en egen bot på en egen ny databas, {memory['users']} användare, blandade "
        f"scenarier): efter start {memory['after_start_mb']:.0f} MB, {readings}; "
        f"tillväxt {memory['growth_percent']:+.1f} %"
    )
    print(
        f"Kontakter från kortet: {result['contacts_written']} + "
        f"{memory['contacts_written']} skrivna, lika många som skickade kort. "
        f"Systemlast {result['load_average'][0]:.1f} → {result['load_average'][1]:.1f}"
    )
