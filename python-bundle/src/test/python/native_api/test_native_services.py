from __future__ import annotations

import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FakeNative

from mycelium_native import _host
from mycelium_native._services import ServiceRunner, install_excepthook


def _start(tmp_path: Path, source: str, service_id: int = 7, name: str = "svc.py") -> ServiceRunner:
    path = tmp_path / name
    path.write_text(source)
    runner = ServiceRunner(service_id, path.stem, str(path))
    runner.start()
    return runner


def _wait(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_stop_ends_a_sleeping_service_at_once(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "import time\nwhile True:\n    time.sleep(1)\n")
    assert _wait(lambda: runner.state == "running")
    started = time.monotonic()
    assert runner.stop(2.0)
    assert time.monotonic() - started < 0.5
    assert runner.state == "stopped"


def test_stop_interrupts_a_busy_loop(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "n = 0\nwhile True:\n    n += 1\n")
    assert _wait(lambda: runner.state == "running")
    assert runner.stop(2.0)


def test_from_import_sleep_is_interruptible_too(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "from time import sleep\nwhile True:\n    sleep(10)\n")
    assert _wait(lambda: runner.state == "running")
    started = time.monotonic()
    assert runner.stop(2.0)
    assert time.monotonic() - started < 0.5


def test_stop_runs_the_sigterm_handler_in_the_service(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(
        tmp_path,
        "import signal, sys, time, _mycelium\n"
        "def handler(sig, frame):\n"
        "    _mycelium.publish(1, b'bye')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, handler)\n"
        "while True:\n"
        "    time.sleep(1)\n",
    )
    assert _wait(lambda: runner.state == "running")
    assert runner.stop(2.0)
    assert fake_native.published == [(1, b"bye")]
    assert runner.state == "exited(0)"


def test_stop_runs_the_sigint_handler_when_the_script_has_returned(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(
        tmp_path,
        "import signal, _mycelium\n"
        "signal.signal(signal.SIGINT, lambda sig, frame: _mycelium.publish(2, b'int'))\n",
    )
    assert _wait(lambda: runner.state == "finished")
    assert runner.stop(2.0)
    assert fake_native.published == [(2, b"int")]


def test_other_signals_are_rejected_with_a_reason(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "import signal\nsignal.signal(signal.SIGUSR1, print)\n")
    assert _wait(lambda: runner.state == "failed")
    (_, kind, message, _trace) = fake_native.errors[0]
    assert kind == "ValueError"
    assert "only SIGINT and SIGTERM handlers" in message


def test_sys_exit_ends_only_the_service(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "import sys\nsys.exit(3)\n")
    assert _wait(lambda: runner.state == "exited(3)")
    assert fake_native.errors == []


def test_import_error_is_reported_with_the_service_traceback(fake_native: FakeNative, tmp_path: Path) -> None:
    runner = _start(tmp_path, "x = 1\nraise KeyError('missing setting')\n", service_id=9)
    assert _wait(lambda: runner.state == "failed")
    (service_id, kind, message, trace) = fake_native.errors[0]
    assert (service_id, kind, message) == (9, "KeyError", "'missing setting'")
    assert 'svc.py", line 2, in <module>' in trace
    assert "_services.py" not in trace


def test_each_service_has_its_own_namespace(fake_native: FakeNative, tmp_path: Path) -> None:
    first = _start(tmp_path, "import _mycelium\nshared = 'one'\n", name="one.py")
    second = _start(tmp_path, "import _mycelium\n_mycelium.publish(3, repr(globals().get('shared')).encode())\n",
                    name="two.py")
    assert _wait(lambda: first.state == "finished" and second.state == "finished")
    assert fake_native.published == [(3, b"None")]


def test_folder_and_zip_services_run_their_main(fake_native: FakeNative, tmp_path: Path) -> None:
    folder = tmp_path / "folder_service"
    folder.mkdir()
    (folder / "helper.py").write_text("VALUE = b'folder'\n")
    (folder / "__main__.py").write_text("import _mycelium, helper\n_mycelium.publish(4, helper.VALUE)\n")
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("__main__.py", "import _mycelium, zhelper\n_mycelium.publish(5, zhelper.VALUE)\n")
        out.writestr("zhelper.py", "VALUE = b'zip'\n")
    runners = [ServiceRunner(20, "folder", str(folder)), ServiceRunner(21, "zipped", str(archive))]
    for runner in runners:
        runner.start()
    assert _wait(lambda: all(runner.state == "finished" for runner in runners)), [r.state for r in runners]
    assert sorted(fake_native.published) == [(4, b"folder"), (5, b"zip")]
    for runner in runners:
        runner.stop(1.0)


def test_host_stop_of_unknown_service_is_true(fake_native: FakeNative) -> None:
    assert _host.stop_service(12345, 0.1) is True
    assert _host.service_state(12345) == "absent"


def test_host_rejects_a_second_start_with_the_same_id(fake_native: FakeNative, tmp_path: Path) -> None:
    path = tmp_path / "idle.py"
    path.write_text("")
    _host.start_service(77, "idle", str(path))
    try:
        with pytest.raises(ValueError, match="service id 77 is already running"):
            _host.start_service(77, "idle", str(path))
    finally:
        assert _host.stop_service(77, 1.0)


def test_stop_ends_threads_the_service_started(
    fake_native: FakeNative, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # restored after the test
    install_excepthook()  # as the host does: a stopped worker ends quietly
    runner = _start(
        tmp_path,
        "import threading, time\n"
        "def spin():\n"
        "    n = 0\n"
        "    while True:\n"
        "        n += 1\n"
        "def nap():\n"
        "    while True:\n"
        "        time.sleep(5)\n"
        "workers = [threading.Thread(target=spin, daemon=True), threading.Thread(target=nap, daemon=True)]\n"
        "for worker in workers:\n"
        "    worker.start()\n",
    )
    assert _wait(lambda: runner.state == "finished")
    workers = list(runner._threads)
    assert len(workers) == 2
    assert all(worker.is_alive() for worker in workers)
    assert runner.stop(2.0)
    assert not any(worker.is_alive() for worker in workers)
