"""The direction of imports between the packages, as the README's Layout describes it.

`storage` imports none of the others; `scheduler` only `storage`; `dialogs` `storage` and
`scheduler`, and no SQLAlchemy (it reads through storage's read models); the Bot Framework
SDK only in `bot`. Every import statement counts, also one inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "dialogs", "scheduler", "storage", "manifest")
BOT_FRAMEWORK = ("botbuilder", "botframework", "msrest")

# What each package must not import (a module, or any module below it).
FORBIDDEN = {
    "storage": ("bot", "dialogs", "scheduler", "manifest", *BOT_FRAMEWORK),
    "scheduler": ("bot", "dialogs", "manifest", *BOT_FRAMEWORK),
    "dialogs": ("bot", "manifest", "sqlalchemy", "storage.models", "storage.db", *BOT_FRAMEWORK),
    "manifest": ("bot", "dialogs", "scheduler", "storage", *BOT_FRAMEWORK),
}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            # "from storage import models" imports the module storage.models.
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _breaks(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in forbidden)


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in _sources(package)
        for module in imported_modules(path)
        if _breaks(module, FORBIDDEN[package])
    }
    assert not wrong, "\n".join(sorted(wrong))


def test_every_package_is_checked_and_the_check_sees_imports() -> None:
    assert set(FORBIDDEN) | {"bot"} == set(PACKAGES)
    assert all(_sources(package) for package in PACKAGES)
    # The SDK is imported somewhere (in bot/), so the check above has something to miss.
    assert any(
        _breaks(module, BOT_FRAMEWORK)
        for path in _sources("bot")
        for module in imported_modules(path)
    )


def test_a_from_import_of_a_module_counts_as_that_module(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text("from storage import models\ndef f():\n    import sqlalchemy.orm\n")
    assert {"storage.models", "sqlalchemy.orm"} <= imported_modules(source)
    assert _breaks("sqlalchemy.orm", FORBIDDEN["dialogs"])
    assert not _breaks("storage.case_views", FORBIDDEN["dialogs"])
