"""The built wheel, installed into a fresh virtualenv, builds the Teams package with no node or
npm anywhere on PATH and no checkout to lean on: the way a municipality's IT installs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from uv import find_uv_bin

from manifest.package import validate_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_ID = "1b4f3c2a-9d8e-4f7a-b6c5-0123456789ab"


def run(*command: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_installed_wheel_builds_the_teams_package_without_node(tmp_path: Path) -> None:
    uv = find_uv_bin()
    dist = tmp_path / "dist"
    # Source distribution first, then the wheel from it: what is shipped is what is tested.
    run(uv, "build", "--quiet", "--python", sys.executable, "--out-dir", dist, REPO_ROOT)
    [wheel] = dist.glob("kaa_assistenten-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "manifest/schema/MicrosoftTeams.v1.30.schema.json" in archive.namelist()

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(uv, "pip", "install", "--quiet", "--offline", "--no-deps", "--python", python, wheel)
    # The dependencies come from this virtualenv, behind the wheel's own packages.
    site_packages = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "work"
    work.mkdir()
    path = str(venv / "bin")
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    env = {"PATH": path, "HOME": str(work), "LANG": "C.UTF-8"}
    schema = run(
        python, "-c", "import manifest.package as p; print(p.SCHEMA_FILE)", env=env, cwd=work
    )
    assert Path(schema.strip()).is_relative_to(site_packages)

    out = work / "teams" / "kaa.zip"
    built = run(
        venv / "bin" / "kaa-bot",
        "manifest",
        "build",
        "--app-id",
        APP_ID,
        "--out",
        out,
        env=env,
        cwd=work,
    )
    assert f"Paketet är byggt: {out}" in built
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    validate_manifest(manifest)
    assert manifest["id"] == APP_ID
    assert sorted(os.listdir(work)) == ["teams"]
