"""The reports benchmark runs end to end at a small size (national: `python -m bench.reports`)."""

from __future__ import annotations

import json

from bench.reports import main


def test_bench_runs_small(capsys):
    assert (
        main(
            [
                "--youths",
                "80",
                "--contacts",
                "400",
                "--municipalities",
                "2",
                "--engines",
                "sqlite",
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["engine"] == "sqlite"
    assert result["scb_rows"] > 0
    assert result["today_p95_ms"] > 0 and result["kpi_ms"] > 0
