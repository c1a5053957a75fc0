"""mycelium_native._safety: the os._exit guard's last line and the threads running a service's callbacks."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import pytest

from mycelium_native import _context, _safety


class Stop(BaseException):
    pass


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(os, "_exit", calls.append)  # the real one is never called; restored after the test
    monkeypatch.setattr(_safety, "_real_exit", None)
    _safety.install_exit_guard()
    return calls


def test_should_log_a_last_line_naming_the_service_when_it_calls_os_exit(fake_native: Any, exits: list[int]) -> None:
    _context.register_name(7, "exiter")
    thread = threading.Thread(target=lambda: os._exit(1))
    setattr(thread, _context.THREAD_ATTRIBUTE, 7)
    thread.start()
    thread.join()
    assert exits == [1]
    assert fake_native.logged == [(logging.ERROR, "python.exiter", _safety.exit_line("exiter", 1))]
    assert "Python service 'exiter' called os._exit(1): the node stops now" in fake_native.logged[0][2]


def test_should_name_the_service_whose_callback_calls_os_exit_on_a_foreign_thread(
    fake_native: Any, exits: list[int]
) -> None:
    _context.register_name(8, "callback_exiter")
    namespace: dict[str, Any] = {_context.SERVICE_ID_GLOBAL: 8, "os": os}
    exec("def callback():\n    os._exit(3)\n", namespace)
    thread = threading.Thread(target=namespace["callback"])  # as a dispatcher thread: no service attribute
    thread.start()
    thread.join()
    assert exits == [3]
    assert fake_native.logged[0][1] == "python.callback_exiter"


def test_should_exit_quietly_when_a_forked_child_calls_os_exit(
    fake_native: Any, exits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_safety, "_host_pid", -1)  # this process is not the node's
    os._exit(0)
    assert exits == [0]
    assert fake_native.logged == []


def test_should_find_stack_and_interrupt_a_thread_running_the_service_callback(fake_native: Any) -> None:
    namespace: dict[str, Any] = {_context.SERVICE_ID_GLOBAL: 9, "threading": threading}
    exec("def stuck_callback(event):\n    while True:\n        event.wait(0.01)\n", namespace)
    event = threading.Event()
    ended: list[BaseException] = []

    def run() -> None:
        try:
            namespace["stuck_callback"](event)
        except Stop as stop:
            ended.append(stop)

    thread = threading.Thread(target=run, name="foreign")
    thread.start()
    try:
        stacks = _safety.callback_stacks(9, set())
        assert "Python stack of thread 'foreign'" in stacks
        assert "stuck_callback" in stacks
        assert _safety.callback_stacks(9, {thread.ident or 0}).startswith("(no thread"), "owned threads are left out"
        assert _safety.interrupt_callbacks(9, set(), Stop) == 1
        thread.join(5)
        assert not thread.is_alive() and len(ended) == 1
    finally:
        event.set()
