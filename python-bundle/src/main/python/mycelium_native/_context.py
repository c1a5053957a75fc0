"""Which Python service the running code belongs to.

A deployed service's threads carry ``mycelium_service_id``; its module namespace holds ``__mycelium_service_id__``,
so code running on another thread (a dispatcher calling a callback, a thread the service started) is found through
the globals of the frames on its stack. Anything else belongs to the host's default service.
"""

from __future__ import annotations

import sys
import threading
from types import FrameType

SERVICE_ID_GLOBAL = "__mycelium_service_id__"
THREAD_ATTRIBUTE = "mycelium_service_id"

_default_service_id = 0
_names: dict[int, str] = {}


def set_default_service(service_id: int, name: str) -> None:
    """Make ``service_id`` the service of code that no deployed service started (called once by the host)."""
    global _default_service_id
    _default_service_id = service_id
    _names[service_id] = name


def register_name(service_id: int, name: str) -> None:
    """Remember a service's name for log lines."""
    _names[service_id] = name


def forget_name(service_id: int) -> None:
    """Forget a stopped service's name."""
    _names.pop(service_id, None)


def current_service_id() -> int:
    """Return the id of the service the calling code belongs to."""
    service_id = getattr(threading.current_thread(), THREAD_ATTRIBUTE, None)
    if isinstance(service_id, int):
        return service_id
    frame: FrameType | None = sys._getframe(0)
    while frame is not None:
        found = frame.f_globals.get(SERVICE_ID_GLOBAL)
        if isinstance(found, int):
            return found
        frame = frame.f_back
    return _default_service_id


def service_name(service_id: int) -> str:
    """Return a service's name, or ``#<id>`` when unknown."""
    return _names.get(service_id, f"#{service_id}")
