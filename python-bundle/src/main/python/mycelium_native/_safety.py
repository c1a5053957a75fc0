"""What in-process Python can do to the node, made visible: ``os._exit`` and callbacks that never return.

In-process Python shares the node's fate. The host cannot stop a service from ending the JVM, but it makes sure the
operator reads who did: ``os._exit`` is wrapped so its last line names the service that called it. And it can find,
for the watchdog and for undeploy, the threads that are running a service's code (a dispatcher or a publisher thread
inside a callback): their Python stacks, and an asynchronous exception that stops a callback between two bytecodes.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from types import FrameType
from typing import Any, Callable

from mycelium_native import _context
from mycelium_native._native import native

_real_exit: Callable[[int], Any] | None = None
_host_pid = 0


def exit_line(service: str, status: Any) -> str:
    """The last line a node prints when a service calls ``os._exit``."""
    return (
        f"Python service '{service}' called os._exit({status!r}): the node stops now (in-process Python shares the "
        "node's fate; run code that may end its process out of process, with the Python SDK)"
    )


def _guarded_exit(status: int) -> None:
    real = _real_exit if _real_exit is not None else os._exit
    if os.getpid() != _host_pid:  # a forked child (multiprocessing) ends itself, not the node
        real(status)
        return
    try:
        service = _context.service_name(_context.current_service_id())
        line = exit_line(service, status)
        try:
            native().log(logging.ERROR, f"python.{service}", line)  # synchronous: printed before it returns
        except BaseException:
            os.write(2, (line + "\n").encode("utf-8", "replace"))
    finally:
        real(status)


def install_exit_guard() -> None:
    """Wrap ``os._exit`` so the node's last line names the calling service (once, when the host starts)."""
    global _real_exit, _host_pid
    if _real_exit is None:
        _real_exit = os._exit
    _host_pid = os.getpid()
    os._exit = _guarded_exit


def _runs_service(frame: FrameType | None, service_id: int) -> bool:
    while frame is not None:
        if frame.f_globals.get(_context.SERVICE_ID_GLOBAL) == service_id:
            return True
        frame = frame.f_back
    return False


def callback_threads(service_id: int, owned: set[int]) -> dict[int, FrameType]:
    """Threads other than the caller and ``owned`` ones whose stack runs the service's code: its callbacks."""
    me = threading.get_ident()
    return {
        ident: frame
        for ident, frame in sys._current_frames().items()
        if ident != me and ident not in owned and _runs_service(frame, service_id)
    }


def _thread_name(ident: int) -> str:
    thread = threading._active.get(ident)  # type: ignore[attr-defined]
    return f"thread '{thread.name}'" if thread is not None else f"thread {ident} (a Java thread: dispatcher or publisher)"


def callback_stacks(service_id: int, owned: set[int]) -> str:
    """The Python stacks of the threads running the service's callbacks, most recent call last."""
    found = callback_threads(service_id, owned)
    if not found:
        return "(no thread is running the service's Python code: the callback is outside Python, or in a module "\
               "that is not the service's own)"
    parts = []
    for ident, frame in found.items():
        parts.append(f"Python stack of {_thread_name(ident)}:\n" + "".join(traceback.format_stack(frame)).rstrip())
    return "\n".join(parts)


def interrupt_callbacks(service_id: int, owned: set[int], exception: type[BaseException]) -> int:
    """Raise ``exception`` in every thread running the service's callbacks; returns how many were hit."""
    hit = 0
    for ident in callback_threads(service_id, owned):
        hit += native().async_exc(ident, exception)
    return hit
