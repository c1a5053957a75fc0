"""A minimal PEP 517/660 build backend for the ``mycelium`` package, standard library only.

It builds a wheel of the packages named in ``[tool.mycelium-build] packages`` (every ``.py`` file and ``py.typed``),
an sdist (which adds the C sources), and an editable wheel (a ``.pth`` file pointing at this directory). Output is
reproducible: files are sorted and stamped with ``SOURCE_DATE_EPOCH`` (default 1980-01-01).

The one C extension, ``mycelium._shm_atomics`` (``[tool.mycelium-build] extensions``: the memory-ordered word access
of the shared-memory transport), is compiled with the machine's C compiler and this Python's headers
(``sysconfig``); the wheel is then tagged for this interpreter and platform (e.g. ``cp311-cp311-linux_x86_64``).
When it cannot be compiled (no compiler, no ``Python.h``) or ``MYCELIUM_NO_EXTENSION=1`` is set, a warning says so
on stderr and the wheel is the pure ``py3-none-any`` one: ``ShmTransport`` then uses its pure-Python path on x86-64
and refuses to run elsewhere (docs/python-sdk.md). An editable install compiles the extension in place.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shlex
import subprocess
import sys
import sysconfig
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
    settings = data.get("tool", {}).get("mycelium-build", {})
    project["packages"] = settings.get("packages", [project["name"]])
    project["extensions"] = settings.get("extensions", [])
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


def _dist_info(project: dict[str, Any], tag: str = _TAG) -> dict[str, bytes]:
    purelib = "true" if tag == _TAG else "false"
    wheel = f"Wheel-Version: 1.0\nGenerator: mycelium_build\nRoot-Is-Purelib: {purelib}\nTag: {tag}\n"
    return {"METADATA": _metadata(project).encode(), "WHEEL": wheel.encode()}


def _write_wheel(directory: str, entries: list[tuple[str, bytes]], project: dict[str, Any],
                 tag: str = _TAG) -> str:
    name = f"{_dist_name(project)}-{tag}.whl"
    info = f"{_dist_name(project)}.dist-info"
    entries = entries + [(f"{info}/{key}", value) for key, value in _dist_info(project, tag).items()]
    record = []
    for arcname, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arcname},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(Path(directory) / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, data in entries:
            item = zipfile.ZipInfo(arcname, _timestamp())
            item.external_attr = (0o755 if arcname.endswith(".so") else 0o644) << 16
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


def platform_tag() -> str:
    """The wheel tag of a wheel with compiled extensions for this interpreter, e.g. ``cp311-cp311-linux_x86_64``."""
    python = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{python}-{python}{sys.abiflags}-{platform}"


def build_extension(source: Path, output: Path) -> str | None:
    """Compile the C extension ``source`` into the shared library ``output``; return None, or why it failed.

    Uses the compiler Python was built with (``sysconfig``'s ``CC``, else ``cc``) and its ``Python.h``; standard
    library only, so it works offline and without setuptools.
    """
    if os.environ.get("MYCELIUM_NO_EXTENSION", "") not in ("", "0"):
        return "MYCELIUM_NO_EXTENSION is set"
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").is_file():
        return f"no Python.h in {include} (install the Python headers, e.g. python3-dev)"
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + f".{os.getpid()}.tmp")
    command = compiler + ["-shared", "-fPIC", "-O2", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror",
                          f"-I{include}", str(source), "-o", str(temporary)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{' '.join(command)} failed: {error}"
    if result.returncode != 0:
        temporary.unlink(missing_ok=True)
        return f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}"
    os.replace(temporary, output)
    return None


def _extension_target(extension: str) -> tuple[Path, str]:
    """The C source of ``extension`` (a dotted module name) and the shared library's path inside the package."""
    parts = extension.split(".")
    source = _ROOT.joinpath(*parts[:-1], parts[-1] + ".c")
    return source, "/".join(parts[:-1] + [parts[-1] + sysconfig.get_config_var("EXT_SUFFIX")])


def build_extensions_in_place(project: dict[str, Any] | None = None) -> list[str]:
    """Compile every extension next to its source when missing or older than it (editable installs, tests).

    Returns the warnings of those that failed (also printed on stderr).
    """
    project = project or _project()
    warnings = []
    for extension in project["extensions"]:
        source, arcname = _extension_target(extension)
        output = _ROOT / arcname
        if output.is_file() and output.stat().st_mtime >= source.stat().st_mtime:
            continue
        why = build_extension(source, output)
        if why is not None:
            warnings.append(_warn(extension, why))
    return warnings


def _warn(extension: str, why: str) -> str:
    message = (f"mycelium_build: C extension {extension} not built: {why}. The package works without it "
               f"(ShmTransport uses its pure-Python path on x86-64 only; see docs/python-sdk.md)")
    print(message, file=sys.stderr)
    return message


def build_wheel(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    project = _project()
    entries = [(path.relative_to(_ROOT).as_posix(), path.read_bytes()) for path in _package_files(project)]
    tag = _TAG
    for extension in project["extensions"]:
        source, arcname = _extension_target(extension)
        output = Path(wheel_directory) / f".{extension}.build" / Path(arcname).name
        why = build_extension(source, output)
        if why is not None:
            _warn(extension, why)
            continue
        entries.append((arcname, output.read_bytes()))
        output.unlink()
        output.parent.rmdir()
        tag = platform_tag()
    return _write_wheel(wheel_directory, sorted(entries), project, tag)


def build_editable(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                   metadata_directory: str | None = None) -> str:
    project = _project()
    build_extensions_in_place(project)
    pth = (str(_ROOT) + "\n").encode()
    return _write_wheel(wheel_directory, [(f"{project['name'].replace('-', '_')}_editable.pth", pth)], project)


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    project = _project()
    base = _dist_name(project)
    name = f"{base}.tar.gz"
    sources = [_extension_target(extension)[0] for extension in project["extensions"]]
    files = [_ROOT / "pyproject.toml", Path(__file__).resolve()] + sorted(_package_files(project) + sources)
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
