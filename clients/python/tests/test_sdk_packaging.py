"""The package installs with pip offline (in-tree backend), ships py.typed, and importing it starts no threads."""

from __future__ import annotations

import base64
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

_PROJECT = Path(__file__).resolve().parents[1]


def _backend() -> ModuleType:
    sys.path.insert(0, str(_PROJECT / "_build"))
    try:
        return importlib.import_module("mycelium_build")
    finally:
        sys.path.remove(str(_PROJECT / "_build"))


def test_pip_installs_offline_without_build_isolation(tmp_path: Path) -> None:
    target = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-index", "--no-build-isolation",
                             "--no-cache-dir", "-q", "-t", str(target), str(_PROJECT)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (target / "mycelium" / "py.typed").is_file()
    if _compiler_present():
        assert list((target / "mycelium").glob("_shm_atomics*.so")), "the C extension was built and installed"
    assert (target / "mycelium-0.1.0.dist-info" / "METADATA").read_text().startswith("Metadata-Version: 2.1")
    check = ("import threading, mycelium; from mycelium import UnixTransport, Publisher, Subscriber, MessageBus; "
             "from mycelium.shmring import atomics_implementation; assert atomics_implementation() != 'unavailable'; "
             "print(mycelium.__file__); print(threading.active_count())")
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    path, threads = out.stdout.split()
    assert path.startswith(str(target)) and threads == "1"


def _compiler_present() -> bool:
    import sysconfig
    return shutil.which("cc") is not None and (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file()


def test_wheel_is_reproducible_and_its_record_is_right(tmp_path: Path) -> None:
    backend = _backend()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    name = backend.build_wheel(str(tmp_path / "one"))
    if _compiler_present():
        assert name == f"mycelium-0.1.0-{backend.platform_tag()}.whl"
        with zipfile.ZipFile(tmp_path / "one" / name) as wheel:
            assert any(n.startswith("mycelium/_shm_atomics") and n.endswith(".so") for n in wheel.namelist())
            assert "Root-Is-Purelib: false" in wheel.read("mycelium-0.1.0.dist-info/WHEEL").decode()
    else:
        assert name == "mycelium-0.1.0-py3-none-any.whl"
    assert os.listdir(tmp_path / "one") == [name]
    backend.build_wheel(str(tmp_path / "two"))
    assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    with zipfile.ZipFile(tmp_path / "one" / name) as wheel:
        names = wheel.namelist()
        assert "mycelium/wire/__init__.py" in names and "mycelium/wire/frame.py" in names and "mycelium/py.typed" in names
        for line in wheel.read("mycelium-0.1.0.dist-info/RECORD").decode().splitlines():
            arcname, digest, size = line.split(",")
            if digest:
                data = wheel.read(arcname)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert (digest, int(size)) == (f"sha256={expected}", len(data))


def test_without_the_extension_the_wheel_is_pure_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MYCELIUM_NO_EXTENSION", "1")
    name = _backend().build_wheel(str(tmp_path))
    assert name == "mycelium-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / name) as wheel:
        assert not [n for n in wheel.namelist() if n.endswith(".so")]
    assert "C extension mycelium._shm_atomics not built: MYCELIUM_NO_EXTENSION is set" in capsys.readouterr().err


def test_sdist_holds_the_backend_and_the_package(tmp_path: Path) -> None:
    name = _backend().build_sdist(str(tmp_path))
    with tarfile.open(tmp_path / name) as sdist:
        names = sdist.getnames()
    assert {"mycelium-0.1.0/pyproject.toml", "mycelium-0.1.0/_build/mycelium_build.py",
            "mycelium-0.1.0/mycelium/transport.py", "mycelium-0.1.0/mycelium/_shm_atomics.c",
            "mycelium-0.1.0/PKG-INFO"} <= set(names)
