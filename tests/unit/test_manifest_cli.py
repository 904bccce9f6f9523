"""`kaa-bot manifest build` writes a package that validates, and refuses a bad app id."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from bot.cli import main
from manifest.package import MANIFEST_DIR, validate_manifest

APP_ID = "1b4f3c2a-9d8e-4f7a-b6c5-0123456789ab"


def test_manifest_build_writes_a_valid_package(monkeypatch) -> None:
    monkeypatch.setenv("KAA_DEVELOPER_NAME", "Demokommun")
    result = CliRunner().invoke(main, ["manifest", "build", "--app-id", APP_ID])
    assert result.exit_code == 0, result.output
    package = MANIFEST_DIR / "build" / "kaa-assistenten.zip"
    assert str(package) in result.output
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert {"color.png", "outline.png"} <= set(archive.namelist())
    validate_manifest(manifest)
    assert manifest["id"] == APP_ID and manifest["developer"]["name"] == "Demokommun"
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}


def test_manifest_build_refuses_a_bad_app_id() -> None:
    result = CliRunner().invoke(main, ["manifest", "build", "--app-id", "inte-ett-guid"])
    assert result.exit_code == 1
    assert "GUID" in result.output
