"""The Teams app package: schema-valid manifest, correct icons, refusal writes nothing."""

from __future__ import annotations

import io
import json
import shutil
import socket
import zipfile
from collections.abc import Callable
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from PIL import Image

import manifest.package as package
from manifest.package import (
    MANIFEST_DIR,
    DeveloperInfo,
    ManifestError,
    build_package,
    check_icons,
    render_manifest,
    validate_manifest,
)

APP_ID = "1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D"
DEVELOPER = DeveloperInfo(
    name="Exempelby kommun",
    website_url="https://exempelby.se/kaa",
    privacy_url="https://exempelby.se/kaa/integritet",
    terms_url="https://exempelby.se/kaa/villkor",
)
PERSONAL_COMMANDS = {
    "hjälp",
    "registrera",
    "logga kontakt",
    "visa",
    "vad har jag idag?",
    "försenade",
    "mina ärenden",
    "statistik",
    "scb",
    "granskning",
}
CHANNEL_SAFE_COMMANDS = {"hjälp", "statistik", "scb"}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Block the network and record every attempt (callers may swallow the error)."""
    attempts: list[object] = []

    def refuse(*args: object, **_kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def source(tmp_path: Path) -> Path:
    copy = tmp_path / "source"
    shutil.copytree(MANIFEST_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def edit_manifest(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def refused(source_dir: Path, out_dir: Path, app_id: str = APP_ID) -> str:
    with pytest.raises(ManifestError) as caught:
        build_package(app_id, DEVELOPER, out_dir, source_dir)
    assert not out_dir.exists()
    return str(caught.value)


def bundled_schema() -> dict[str, Any]:
    return json.loads(package.SCHEMA_FILE.read_text(encoding="utf-8"))


def test_built_package_is_valid_and_complete(tmp_path: Path, no_network: list[object]) -> None:
    zip_path = build_package(APP_ID, DEVELOPER, tmp_path / "out")
    assert no_network == []

    assert zip_path == tmp_path / "out" / "kaa-assistenten.zip"
    assert sorted(p.name for p in zip_path.parent.iterdir()) == ["kaa-assistenten.zip"]
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        raw = archive.read("manifest.json").decode("utf-8")
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))

    manifest = json.loads(raw)
    validate_manifest(manifest)
    # Second opinion from a validator that knows const/if natively, straight from the schema file.
    assert list(Draft7Validator(bundled_schema()).iter_errors(manifest)) == []
    assert manifest["$schema"].endswith(f"/v{package.SCHEMA_VERSION}/MicrosoftTeams.schema.json")
    assert manifest["manifestVersion"] == package.SCHEMA_VERSION
    assert "{{" not in raw

    assert manifest["id"] == APP_ID.lower()
    assert manifest["version"] == installed_version("kaa-assistenten")
    assert manifest["developer"] == {
        "name": DEVELOPER.name,
        "websiteUrl": DEVELOPER.website_url,
        "privacyUrl": DEVELOPER.privacy_url,
        "termsOfUseUrl": DEVELOPER.terms_url,
    }
    assert manifest["name"]["short"] == "KAA-assistenten"
    assert "webApplicationInfo" not in manifest

    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID.lower()
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is True
    lists = {tuple(entry["scopes"]): entry["commands"] for entry in bot["commandLists"]}
    assert set(lists) == {("personal",), ("team",), ("groupChat",)}
    assert {c["title"] for c in lists[("personal",)]} == PERSONAL_COMMANDS
    for scope in (("team",), ("groupChat",)):
        assert {c["title"] for c in lists[scope]} <= CHANNEL_SAFE_COMMANDS
    for commands in lists.values():
        assert len(commands) <= 10
        for command in commands:
            # Teams clients cut titles at 32 and descriptions at 128 characters.
            assert len(command["title"]) <= 32
            assert 0 < len(command["description"]) <= 128

    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_package(APP_ID, DEVELOPER, tmp_path / "a").read_bytes()
    second = build_package(APP_ID, DEVELOPER, tmp_path / "b").read_bytes()
    assert first == second


def test_explicit_version_is_used(tmp_path: Path) -> None:
    zip_path = build_package(APP_ID, DEVELOPER, tmp_path, version="2.3.4")
    with zipfile.ZipFile(zip_path) as archive:
        assert json.loads(archive.read("manifest.json"))["version"] == "2.3.4"


def test_template_is_valid_json_with_placeholders() -> None:
    raw = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    template = json.loads(raw)
    assert template["id"] == "{{APP_ID}}"
    assert "{{DEVELOPER_NAME}}" in raw


def _drop_accent_color(m: dict[str, Any]) -> None:
    del m["accentColor"]


def _misspell_scope(m: dict[str, Any]) -> None:
    m["bots"][0]["scopes"] = ["personal", "team", "groupchat"]


def _long_short_name(m: dict[str, Any]) -> None:
    m["name"]["short"] = "KAA-assistenten för Exempelby kommun"


def _old_manifest_version(m: dict[str, Any]) -> None:
    m["manifestVersion"] = "1.23"


def _too_many_commands(m: dict[str, Any]) -> None:
    m["bots"][0]["commandLists"][0]["commands"] = [{"title": f"kommando {i}"} for i in range(13)]


def _unknown_field(m: dict[str, Any]) -> None:
    m["bots"][0]["supportFiles"] = True


def _unknown_placeholder(m: dict[str, Any]) -> None:
    m["developer"]["mpnId"] = "{{MPN_ID}}"


def _renamed_icon(m: dict[str, Any]) -> None:
    m["icons"]["color"] = "ikon.png"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_drop_accent_color, "manifest.json $.accentColor: fältet saknas"),
        (_misspell_scope, 'manifest.json $.bots[0].scopes[2]: "groupchat" är inte tillåtet'),
        (_long_short_name, "manifest.json $.name.short: texten är för lång (36 tecken, högst 30)"),
        (_old_manifest_version, 'manifest.json $.manifestVersion: måste vara "1.30"'),
        (_too_many_commands, "$.bots[0].commandLists[0].commands: för många poster (13, högst 12)"),
        (_unknown_field, "manifest.json $.bots[0].supportFiles: fältet är inte tillåtet här"),
        (_unknown_placeholder, "manifest.json $.developer.mpnId: okänd platshållare {{MPN_ID}}"),
        (_renamed_icon, "manifest.json $.icons: ska vara exakt"),
    ],
)
def test_broken_manifest_is_refused(
    source: Path,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    edit_manifest(source, change)
    assert expected in refused(source, tmp_path / "out")


def test_manifest_that_is_not_json_is_refused(source: Path, tmp_path: Path) -> None:
    (source / "manifest.json").write_text('{"manifestVersion": ', encoding="utf-8")
    assert "manifest.json: är inte giltig JSON" in refused(source, tmp_path / "out")


def test_too_long_developer_name_is_refused(tmp_path: Path) -> None:
    developer = DeveloperInfo(
        name="Kommunala aktivitetsansvaret i Exempelby",
        website_url=DEVELOPER.website_url,
        privacy_url=DEVELOPER.privacy_url,
        terms_url=DEVELOPER.terms_url,
    )
    with pytest.raises(ManifestError, match=r"\$\.developer\.name: texten är för lång"):
        build_package(APP_ID, developer, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_every_problem_gets_its_own_line(source: Path, tmp_path: Path) -> None:
    edit_manifest(source, _long_short_name)
    edit_manifest(source, _misspell_scope)
    Image.new("RGB", (100, 100), "red").save(source / "color.png")

    lines = refused(source, tmp_path / "out").splitlines()

    assert len(lines) == 3
    assert any(line.startswith("manifest.json $.name.short:") for line in lines)
    assert any(line.startswith("manifest.json $.bots[0].scopes[2]:") for line in lines)
    assert "color.png: måste vara 192x192 pixlar, är 100x100" in lines


@pytest.mark.parametrize(
    "app_id",
    [
        "",
        "kaa-assistenten",
        "1a2b3c4d5e6f4a1b8c2d3e4f5a6b7c8d",
        "{1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d}",
        "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8g",
        "00000000-0000-0000-0000-000000000000",
    ],
)
def test_non_guid_app_id_is_refused(tmp_path: Path, app_id: str) -> None:
    message = refused(MANIFEST_DIR, tmp_path / "out", app_id=app_id)
    assert message.startswith("app-id:")
    assert "GUID" in message


def test_bad_version_is_refused() -> None:
    with pytest.raises(ManifestError) as caught:
        render_manifest(APP_ID, DEVELOPER, "1.0")
    assert str(caught.value) == 'version: "1.0" ska ha formen 1.2.3'


def test_refusal_leaves_an_existing_package_untouched(source: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "kaa-assistenten.zip").write_bytes(b"previous build")
    edit_manifest(source, _drop_accent_color)

    with pytest.raises(ManifestError):
        build_package(APP_ID, DEVELOPER, out_dir, source)

    assert [p.name for p in out_dir.iterdir()] == ["kaa-assistenten.zip"]
    assert (out_dir / "kaa-assistenten.zip").read_bytes() == b"previous build"


def test_committed_icons_pass() -> None:
    check_icons(MANIFEST_DIR)


def _outline(
    background: tuple[int, int, int, int], symbol: tuple[int, int, int, int] = (255, 255, 255, 255)
) -> Image.Image:
    image = Image.new("RGBA", (32, 32), background)
    image.paste(symbol, (8, 8, 24, 24))
    return image


@pytest.mark.parametrize(
    ("icon", "image", "expected"),
    [
        (
            "color.png",
            Image.new("RGB", (96, 96), (21, 101, 132)),
            "color.png: måste vara 192x192 pixlar, är 96x96",
        ),
        (
            "outline.png",
            Image.new("RGBA", (48, 48), (0, 0, 0, 0)),
            "outline.png: måste vara 32x32 pixlar, är 48x48",
        ),
        (
            "outline.png",
            _outline((21, 101, 132, 255)),
            "outline.png: bakgrunden måste vara genomskinlig",
        ),
        (
            "outline.png",
            Image.new("RGB", (32, 32), (255, 255, 255)),
            "outline.png: bakgrunden måste vara genomskinlig",
        ),
        (
            "outline.png",
            _outline((0, 0, 0, 0), symbol=(128, 128, 128, 255)),
            "outline.png: får bara innehålla vitt",
        ),
        (
            "outline.png",
            Image.new("RGBA", (32, 32), (255, 255, 255, 0)),
            "outline.png: bilden är helt tom",
        ),
    ],
)
def test_wrong_icon_is_refused(
    source: Path, tmp_path: Path, icon: str, image: Image.Image, expected: str
) -> None:
    image.save(source / icon, format="PNG")

    with pytest.raises(ManifestError) as caught:
        check_icons(source)
    assert expected in str(caught.value)
    assert expected in refused(source, tmp_path / "out")


def test_icon_that_is_not_png_is_refused(source: Path, tmp_path: Path) -> None:
    Image.new("RGB", (192, 192), (21, 101, 132)).save(source / "color.png", format="JPEG")
    assert "color.png: måste vara PNG, är JPEG" in refused(source, tmp_path / "out")


def test_missing_icon_is_refused(source: Path, tmp_path: Path) -> None:
    (source / "outline.png").unlink()
    assert "outline.png: filen saknas" in refused(source, tmp_path / "out")


def test_missing_schema_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "SCHEMA_FILE", tmp_path / "missing.schema.json")
    manifest = render_manifest(APP_ID, DEVELOPER, "1.0.0")

    with pytest.raises(ManifestError, match=r"Teams-schemat v1\.30 saknas"):
        validate_manifest(manifest)


def test_remote_reference_is_never_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    schema = bundled_schema()
    remote = "https://example.invalid/schemas/name.json"
    schema["properties"]["name"] = {"$ref": remote}
    schema_file = tmp_path / "remote.schema.json"
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.setattr(package, "SCHEMA_FILE", schema_file)
    manifest = render_manifest(APP_ID, DEVELOPER, "1.0.0")

    with pytest.raises(ManifestError) as caught:
        validate_manifest(manifest)
    assert f"{remote} går inte att slå upp utan nätverk" in str(caught.value)
    assert no_network == []
