"""Every dependency the project declares is one its code imports (or a database driver that
SQLAlchemy loads by the URL): no dependency nobody uses."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distribution

from tests.source_tree import PACKAGES, ROOT, imported_modules, sources

# Loaded by SQLAlchemy from the database URL's driver name, never imported by name.
DRIVERS = {"aiosqlite", "asyncpg"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0] for line in project["dependencies"]}


def _provides(name: str, modules: set[str]) -> bool:
    """Whether the installed distribution holds one of the modules."""
    files = {str(path) for path in distribution(name).files or ()}
    return any(
        f"{module.replace('.', '/')}{ending}" in files
        for module in modules
        for ending in (".py", "/__init__.py")
    )


def test_every_declared_dependency_is_imported() -> None:
    modules = {
        module
        for package in PACKAGES
        for path in sources(package)
        for module in imported_modules(path)
    }
    unused = {name for name in _declared() - DRIVERS if not _provides(name, modules)}
    assert not unused


def test_the_check_tells_a_used_distribution_from_an_unused_one() -> None:
    # botbuilder-core shares the "botbuilder" namespace with the integration that is used.
    used = {"botbuilder.integration.aiohttp"}
    assert _provides("botbuilder-integration-aiohttp", used)
    assert not _provides("botbuilder-core", used)
