"""Render, validate and zip the Teams app package (manifest.json plus two icons)."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft7Validator, ValidationError, validators
from PIL import Image, UnidentifiedImageError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

MANIFEST_DIR = Path(__file__).resolve().parent
SCHEMA_VERSION = "1.30"
# A copy of MicrosoftTeams.schema.json from the npm package @microsoft/app-manifest at the
# version package.json pins, shipped as package data so an installed wheel needs no node.
SCHEMA_FILE = MANIFEST_DIR / "schema" / f"MicrosoftTeams.v{SCHEMA_VERSION}.schema.json"
PACKAGE_NAME = "kaa-assistenten.zip"
MANIFEST_FILE = "manifest.json"
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
ICON_SIZES = {COLOR_ICON: (192, 192), OUTLINE_ICON: (32, 32)}

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_NIL_GUID = "00000000-0000-0000-0000-000000000000"
_SEMVER = re.compile(r"\d+\.\d+\.\d+")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Fixed zip timestamps make two builds of the same input byte-identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TYPE_NAMES = {
    "string": "text",
    "array": "lista",
    "object": "objekt",
    "boolean": "true eller false",
    "number": "tal",
    "integer": "heltal",
    "null": "null",
}


class ManifestError(Exception):
    """The package cannot be built; one Swedish line per problem."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems: tuple[str, ...] = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


@dataclass(frozen=True)
class DeveloperInfo:
    name: str
    website_url: str
    privacy_url: str
    terms_url: str


def render_manifest(
    app_id: str,
    developer: DeveloperInfo,
    version: str,
    *,
    source_dir: Path = MANIFEST_DIR,
) -> dict[str, Any]:
    """Fill the placeholders of source_dir/manifest.json; does not validate against the schema."""
    problems = []
    if not _is_guid(app_id):
        problems.append(
            f'app-id: "{app_id}" är inget giltigt GUID '
            "(ska se ut som 1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f)"
        )
    if not _SEMVER.fullmatch(version):
        problems.append(f'version: "{version}" ska ha formen 1.2.3')
    if problems:
        raise ManifestError(*problems)
    template = _read_template(source_dir / MANIFEST_FILE)
    values = {
        "APP_ID": app_id.lower(),
        "VERSION": version,
        "DEVELOPER_NAME": developer.name,
        "WEBSITE_URL": developer.website_url,
        "PRIVACY_URL": developer.privacy_url,
        "TERMS_URL": developer.terms_url,
    }
    unknown: list[str] = []
    rendered = _fill(template, values, "$", unknown)
    if unknown:
        raise ManifestError(*unknown)
    return rendered


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Check the manifest against the bundled Teams schema, without any network access."""
    schema = _load_schema(SCHEMA_FILE)
    validator_class = _validator_class(schema)
    validator = validator_class(
        schema,
        registry=_offline_registry(),
        format_checker=validator_class.FORMAT_CHECKER,
    )
    try:
        errors = list(validator.iter_errors(manifest))
    except Unresolvable as exc:
        raise ManifestError(
            f"{SCHEMA_FILE.name}: hänvisningen {exc.ref} går inte att slå upp utan nätverk"
        ) from exc
    lines = sorted({line for error in errors for line in _describe(error)})
    if lines:
        raise ManifestError(*(f"{MANIFEST_FILE} {line}" for line in lines))


def check_icons(folder: Path) -> None:
    """Teams wants exact sizes and an outline icon that is white on transparent."""
    problems = []
    for name, size in ICON_SIZES.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: filen saknas i {folder}")
            continue
        try:
            with Image.open(path) as image:
                image.load()
                fmt, actual = image.format, image.size
                rgba = image.convert("RGBA")
        except (UnidentifiedImageError, OSError):
            problems.append(f"{name}: filen är ingen läsbar PNG-bild")
            continue
        if fmt != "PNG":
            problems.append(f"{name}: måste vara PNG, är {fmt}")
        if actual != size:
            problems.append(
                f"{name}: måste vara {size[0]}x{size[1]} pixlar, är {actual[0]}x{actual[1]}"
            )
        if name == OUTLINE_ICON:
            problems.extend(_outline_problems(rgba))
    if problems:
        raise ManifestError(*problems)


def build_package(
    app_id: str,
    developer: DeveloperInfo,
    out_dir: Path,
    source_dir: Path = MANIFEST_DIR,
    *,
    version: str | None = None,
    file_name: str = PACKAGE_NAME,
) -> Path:
    """Write out_dir/file_name, or raise ManifestError and write nothing."""
    manifest = render_manifest(
        app_id,
        developer,
        version or installed_version("kaa-assistenten"),
        source_dir=source_dir,
    )
    problems: list[str] = []
    for check in (
        lambda: validate_manifest(manifest),
        lambda: _check_icon_references(manifest),
        lambda: check_icons(source_dir),
    ):
        try:
            check()
        except ManifestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ManifestError(*problems)

    entries = {
        MANIFEST_FILE: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(),
        COLOR_ICON: (source_dir / COLOR_ICON).read_bytes(),
        OUTLINE_ICON: (source_dir / OUTLINE_ICON).read_bytes(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / file_name
    # Write beside the target and rename, so a failed write never leaves a half zip behind.
    fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=".kaa-", suffix=".zip.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_zip_bytes(entries))
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def _is_guid(value: str) -> bool:
    return bool(_GUID.fullmatch(value)) and value != _NIL_GUID


def _read_template(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ManifestError(f"{path.name}: filen saknas i {path.parent}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path.name}: är inte giltig JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{path.name}: ska innehålla ett JSON-objekt")
    return data


def _fill(node: Any, values: dict[str, str], path: str, unknown: list[str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(value, values, f"{path}.{key}", unknown) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values, f"{path}[{i}]", unknown) for i, item in enumerate(node)]
    if isinstance(node, str):
        for name in _PLACEHOLDER.findall(node):
            if name not in values:
                unknown.append(f"{MANIFEST_FILE} {path}: okänd platshållare {{{{{name}}}}}")
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), node)
    return node


@lru_cache(maxsize=4)
def _load_schema(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ManifestError(
            f"Teams-schemat v{SCHEMA_VERSION} saknas ({path}); installera om kaa-assistenten"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _validator_class(schema: dict[str, Any]) -> type[Any]:
    base = validators.validator_for(schema, default=Draft4Validator)
    # The Teams schema declares draft-04 yet uses `const` (manifestVersion) and `if`/`then`;
    # a plain draft-04 validator would silently skip them.
    missing = {
        keyword: Draft7Validator.VALIDATORS[keyword]
        for keyword in ("const", "if")
        if keyword not in base.VALIDATORS
    }
    return validators.extend(base, missing) if missing else base


def _refuse_remote(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)


def _offline_registry() -> Registry[Any]:
    # Without an explicit registry jsonschema may fetch unknown $ref URLs over HTTP.
    return Registry(retrieve=_refuse_remote)


def _describe(error: ValidationError) -> Iterator[str]:
    path = error.json_path
    instance, expected = error.instance, error.validator_value
    match error.validator:
        case "required":
            for name in expected:
                if isinstance(instance, dict) and name not in instance:
                    yield f"{path}.{name}: fältet saknas"
        case "additionalProperties":
            known = error.schema.get("properties", {})
            patterns = error.schema.get("patternProperties", {})
            for name in instance:
                if name not in known and not any(re.search(p, name) for p in patterns):
                    yield f"{path}.{name}: fältet är inte tillåtet här"
        case "maxLength":
            yield f"{path}: texten är för lång ({len(instance)} tecken, högst {expected})"
        case "minLength":
            yield f"{path}: texten är för kort (minst {expected} tecken)"
        case "enum":
            allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in expected)
            yield f"{path}: {json.dumps(instance, ensure_ascii=False)} är inte tillåtet ({allowed})"
        case "const":
            yield f"{path}: måste vara {json.dumps(expected, ensure_ascii=False)}"
        case "pattern":
            yield f"{path}: {json.dumps(instance, ensure_ascii=False)} har fel format"
        case "format":
            yield f"{path}: {json.dumps(instance, ensure_ascii=False)} är ingen giltig {expected}"
        case "type":
            kinds = [expected] if isinstance(expected, str) else expected
            yield f"{path}: ska vara {' eller '.join(_TYPE_NAMES.get(k, k) for k in kinds)}"
        case "maxItems":
            yield f"{path}: för många poster ({len(instance)}, högst {expected})"
        case "minItems":
            yield f"{path}: för få poster (minst {expected})"
        case "uniqueItems":
            yield f"{path}: samma värde förekommer flera gånger"
        case "anyOf" | "oneOf":
            yield f"{path}: passar inget av de tillåtna alternativen"
        case _:
            yield f"{path}: uppfyller inte schemats regel {error.validator!r}"


def _check_icon_references(manifest: dict[str, Any]) -> None:
    expected = {"color": COLOR_ICON, "outline": OUTLINE_ICON}
    if manifest.get("icons") != expected:
        raise ManifestError(
            f"{MANIFEST_FILE} $.icons: ska vara exakt "
            f'{{"color": "{COLOR_ICON}", "outline": "{OUTLINE_ICON}"}}'
        )


def _outline_problems(image: Image.Image) -> list[str]:
    width, height = image.size
    data = image.tobytes()
    pixels = [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]
    corners = (0, width - 1, (height - 1) * width, height * width - 1)
    problems = []
    if any(pixels[i][3] != 0 for i in corners):
        problems.append(f"{OUTLINE_ICON}: bakgrunden måste vara genomskinlig")
    coloured = sum(1 for r, g, b, a in pixels if a > 0 and (r, g, b) != (255, 255, 255))
    if coloured:
        problems.append(
            f"{OUTLINE_ICON}: får bara innehålla vitt ({coloured} pixlar har annan färg)"
        )
    if not any(a > 0 for _, _, _, a in pixels):
        problems.append(f"{OUTLINE_ICON}: bilden är helt tom")
    return problems


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()
