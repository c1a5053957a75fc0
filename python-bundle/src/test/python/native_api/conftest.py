"""Fixtures for mycelium_native's pure-Python parts: the package on sys.path and a fake ``_mycelium``.

The fake records calls the way the Java host would see them; the real module exists only inside the JVM and is
covered by the Java tests (PythonInterpreterTest, PythonHostTest, DeployedServicesTest).
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

_HERE = Path(__file__).resolve().parent
for entry in (_HERE.parents[2] / "main" / "python", _HERE.parent / "fixtures"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

FIXTURE_DIGEST = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


class FakeNative:
    """Stands in for ``_mycelium``: one callback table per service id, calls recorded."""

    def __init__(self) -> None:
        self.published: list[tuple[int, bytes]] = []
        self.subscribed: list[tuple[int, int, int]] = []
        self.inline: set[int] = set()
        self.unsubscribed: list[tuple[int, int]] = []
        self.logged: list[tuple[int, str, str]] = []
        self.errors: list[tuple[int, str, str, str]] = []
        self.digests: list[str] = [FIXTURE_DIGEST]
        self.tables: dict[int, dict[int, Any]] = {}
        self._next_id = 1

    def publish(self, type_id: int, payload: bytes) -> None:
        self.published.append((type_id, bytes(payload)))

    def subscribe(self, service_id: int, type_id: int, inline: bool) -> int:
        subscription_id = self._next_id
        self._next_id += 1
        self.subscribed.append((service_id, type_id, subscription_id))
        if inline:
            self.inline.add(subscription_id)
        return subscription_id

    def unsubscribe(self, service_id: int, subscription_id: int) -> None:
        self.unsubscribed.append((service_id, subscription_id))

    def callback_table(self, service_id: int) -> dict[int, Any]:
        return self.tables.setdefault(service_id, {})

    def log(self, level: int, logger: str, message: str) -> None:
        self.logged.append((level, logger, message))

    def report_error(self, service_id: int, kind: str, message: str, trace: str) -> None:
        self.errors.append((service_id, kind, message, trace))

    def schema_digests(self) -> list[str]:
        return list(self.digests)

    def async_exc(self, thread_id: int, exception: type[BaseException] | None) -> int:
        return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exception)))

    def deliver(self, service_id: int, payload: bytes) -> None:
        """Deliver ``payload`` to every callback of the service, as deliver.c does."""
        for decode, callback in list(self.tables.get(service_id, {}).values()):
            callback(decode(payload) if decode is not None else payload)


@pytest.fixture
def fake_native(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNative]:
    fake = FakeNative()
    monkeypatch.setitem(sys.modules, "_mycelium", fake)
    yield fake
