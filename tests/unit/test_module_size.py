"""No module over 500 lines (the migrations excepted): a module that grows past it holds more
than one thing, and is split by what it holds."""

from __future__ import annotations

import subprocess

from tests.source_tree import ROOT

MAX_LINES = 500


def _modules() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [name for name in listed if "/migrations/" not in name and (ROOT / name).exists()]


def test_no_module_is_over_the_limit() -> None:
    modules = _modules()
    assert "storage/cases.py" in modules  # the listing sees the project's modules
    too_long = {
        name: lines
        for name in modules
        if (lines := len((ROOT / name).read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long
