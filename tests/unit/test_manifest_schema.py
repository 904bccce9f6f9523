"""The Teams schema shipped in the Python package is the pinned npm package's file, unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manifest.package import SCHEMA_FILE, SCHEMA_VERSION

REPO_ROOT = Path(__file__).resolve().parents[2]
NPM_PACKAGE = REPO_ROOT / "node_modules" / "@microsoft" / "app-manifest"
NPM_SCHEMA = (
    NPM_PACKAGE
    / "build"
    / "json-schemas"
    / "teams"
    / f"v{SCHEMA_VERSION}"
    / "MicrosoftTeams.schema.json"
)


def pinned_version() -> str:
    package_json = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    return package_json["devDependencies"]["@microsoft/app-manifest"]


@pytest.fixture
def npm_package() -> Path:
    # `make test` runs `npm ci` first; without it this comparison cannot be made.
    if not NPM_SCHEMA.is_file():
        pytest.fail(f"{NPM_SCHEMA} is missing: run `npm ci` (make test does)")
    return NPM_PACKAGE


def test_node_modules_holds_the_pinned_version(npm_package: Path) -> None:
    installed = json.loads((npm_package / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == pinned_version(), "run `npm ci`"


def test_shipped_schema_equals_the_npm_packages_file(npm_package: Path) -> None:
    assert SCHEMA_FILE.read_bytes() == NPM_SCHEMA.read_bytes(), (
        f"after changing the pin of @microsoft/app-manifest: cp {NPM_SCHEMA} {SCHEMA_FILE}"
    )
