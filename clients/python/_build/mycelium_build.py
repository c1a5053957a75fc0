"""A minimal PEP 517/660 build backend for the pure-Python ``mycelium`` package, standard library only.

It builds a ``py3-none-any`` wheel of the packages named in ``[tool.mycelium-build] packages`` (every ``.py`` file
and ``py.typed``), an sdist, and an editable wheel (a ``.pth`` file pointing at this directory). Output is
reproducible: files are sorted and stamped with ``SOURCE_DATE_EPOCH`` (default 1980-01-01).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
_TAG = "py3-none-any"


def _project() -> dict[str, Any]:
    with open(_ROOT / "pyproject.toml", "rb") as file:
        data = tomllib.load(file)
    project: dict[str, Any] = data["project"]
    project["packages"] = data.get("tool", {}).get("mycelium-build", {}).get("packages", [project["name"]])
    return project


def _dist_name(project: dict[str, Any]) -> str:
    return f"{project['name'].replace('-', '_')}-{project['version']}"


def _timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    return time.gmtime(epoch)[:6]


def _package_files(project: dict[str, Any]) -> list[Path]:
    files: list[Path] = []
    for package in project["packages"]:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.is_file() and (path.suffix == ".py" or path.name == "py.typed") and "__pycache__" not in path.parts:
                files.append(path)
    if not files:
        raise RuntimeError(f"no package files found under {_ROOT} for packages {project['packages']}")
    return files


def _metadata(project: dict[str, Any]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    if isinstance(project.get("license"), dict) and "text" in project["license"]:
        lines.append(f"License: {project['license']['text']}")
    lines += [f"Classifier: {classifier}" for classifier in project.get("classifiers", [])]
    return "\n".join(lines) + "\n"


def _dist_info(project: dict[str, Any]) -> dict[str, bytes]:
    wheel = f"Wheel-Version: 1.0\nGenerator: mycelium_build\nRoot-Is-Purelib: true\nTag: {_TAG}\n"
    return {"METADATA": _metadata(project).encode(), "WHEEL": wheel.encode()}


def _write_wheel(directory: str, entries: list[tuple[str, bytes]], project: dict[str, Any]) -> str:
    name = f"{_dist_name(project)}-{_TAG}.whl"
    info = f"{_dist_name(project)}.dist-info"
    entries = entries + [(f"{info}/{key}", value) for key, value in _dist_info(project).items()]
    record = []
    for arcname, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arcname},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(Path(directory) / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, data in entries:
            item = zipfile.ZipInfo(arcname, _timestamp())
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(item, data)
    return name


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: dict[str, Any] | None = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    project = _project()
    info = Path(metadata_directory) / f"{_dist_name(project)}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    for key, value in _dist_info(project).items():
        (info / key).write_bytes(value)
    return info.name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    project = _project()
    entries = [(path.relative_to(_ROOT).as_posix(), path.read_bytes()) for path in _package_files(project)]
    return _write_wheel(wheel_directory, entries, project)


def build_editable(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                   metadata_directory: str | None = None) -> str:
    project = _project()
    pth = (str(_ROOT) + "\n").encode()
    return _write_wheel(wheel_directory, [(f"{project['name'].replace('-', '_')}_editable.pth", pth)], project)


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    project = _project()
    base = _dist_name(project)
    name = f"{base}.tar.gz"
    files = [_ROOT / "pyproject.toml", Path(__file__).resolve()] + _package_files(project)
    mtime = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)

    def add(archive: tarfile.TarFile, arcname: str, data: bytes) -> None:
        item = tarfile.TarInfo(f"{base}/{arcname}")
        item.size = len(data)
        item.mtime = mtime
        item.mode = 0o644
        archive.addfile(item, io.BytesIO(data))

    with tarfile.open(Path(sdist_directory) / name, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path in files:
            add(archive, path.relative_to(_ROOT).as_posix(), path.read_bytes())
        add(archive, "PKG-INFO", _metadata(project).encode())
    return name
