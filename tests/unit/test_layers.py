"""The direction of imports between the packages, as the README's Layout describes it.

`storage` imports none of the others; `scheduler` only `storage`; `dialogs` `storage` and
`scheduler`, and no SQLAlchemy (it reads through storage's read models); the Bot Framework
SDK only in `bot`, and there only for the connector's credentials and the token check's
constants. Every import statement counts, also one inside a function.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.source_tree import PACKAGES, ROOT, imported_modules, sources

BOT_FRAMEWORK = ("botbuilder", "botframework", "msrest")
# The only modules of bot/ that use the archived SDK.
SDK_USERS = {"bot/connector.py", "bot/token_check.py"}

# What each package must not import (a module, or any module below it).
FORBIDDEN = {
    "storage": ("bot", "dialogs", "scheduler", "manifest", *BOT_FRAMEWORK),
    "scheduler": ("bot", "dialogs", "manifest", *BOT_FRAMEWORK),
    "dialogs": ("bot", "manifest", "sqlalchemy", "storage.models", "storage.db", *BOT_FRAMEWORK),
    "manifest": ("bot", "dialogs", "scheduler", "storage", *BOT_FRAMEWORK),
}


def _breaks(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in forbidden)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sources(package)
        for module in imported_modules(path)
        if _breaks(module, FORBIDDEN[package])
    }
    assert not wrong, "\n".join(sorted(wrong))


def test_the_sdk_is_used_only_for_credentials_and_token_constants() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in sources("bot")
        if any(_breaks(module, BOT_FRAMEWORK) for module in imported_modules(path))
    }
    assert users == SDK_USERS


def test_every_package_is_checked_and_the_check_sees_imports() -> None:
    assert set(FORBIDDEN) | {"bot"} == set(PACKAGES)
    assert all(sources(package) for package in PACKAGES)
    # The SDK is imported somewhere (in bot/), so the check above has something to miss.
    assert any(
        _breaks(module, BOT_FRAMEWORK)
        for path in sources("bot")
        for module in imported_modules(path)
    )


def test_a_from_import_of_a_module_counts_as_that_module(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text("from storage import models\ndef f():\n    import sqlalchemy.orm\n")
    assert {"storage.models", "sqlalchemy.orm"} <= imported_modules(source)
    assert _breaks("sqlalchemy.orm", FORBIDDEN["dialogs"])
    assert not _breaks("storage.case_views", FORBIDDEN["dialogs"])
