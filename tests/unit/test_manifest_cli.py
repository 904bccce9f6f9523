"""`kaa-bot manifest build` writes a package that validates, and refuses a bad app id."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from bot.cli import main
from manifest.package import validate_manifest

APP_ID = "1b4f3c2a-9d8e-4f7a-b6c5-0123456789ab"


def test_manifest_build_writes_a_valid_package(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KAA_DEVELOPER_NAME", "Demokommun")
    package = tmp_path / "teams" / "kaa.zip"
    result = CliRunner().invoke(
        main, ["manifest", "build", "--app-id", APP_ID, "--out", str(package)]
    )
    assert result.exit_code == 0, result.output
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


def test_manifest_build_writes_into_the_current_folder_by_default(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["manifest", "build", "--app-id", APP_ID])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kaa-assistenten.zip"]


def test_manifest_build_names_a_folder_it_cannot_write(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "kaa.zip"
    result = CliRunner().invoke(main, ["manifest", "build", "--app-id", APP_ID, "--out", str(out)])
    assert result.exit_code == 1
    assert f"Kunde inte skriva {out}" in result.output
