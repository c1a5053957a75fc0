"""``Runtime`` and ``Subscription``: the seed's in-process API over the node's one Java MessageBus."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, Callable, Protocol, TypeVar

from mycelium_native import _context, _topology
from mycelium_native._native import native


class _Message(Protocol):
    TYPE_ID: int

    def to_bytes(self) -> bytes: ...


M = TypeVar("M")
M_co = TypeVar("M_co", covariant=True)


class _MessageType(Protocol[M_co]):
    TYPE_ID: int

    def from_bytes(self, payload: bytes | memoryview) -> M_co: ...


def digest_hex(digest: bytes | bytearray | memoryview | str) -> str:
    """Return a schema digest (32 bytes, or 64 hex characters) as lower-case hex; ValueError/TypeError if malformed."""
    if isinstance(digest, str):
        text = digest.strip().lower()
        if len(text) != 64 or any(char not in "0123456789abcdef" for char in text):
            raise ValueError(f"schema_digest must be 64 hex characters but was {digest!r}")
        return text
    if isinstance(digest, (bytes, bytearray, memoryview)):
        raw = bytes(digest)
        if len(raw) != 32:
            raise ValueError(f"schema_digest must be 32 bytes (SHA-256) but was {len(raw)} bytes")
        return raw.hex()
    raise TypeError(f"schema_digest must be bytes or a hex str, not {type(digest).__name__}")


def check_schema(expected_hex: str, node_digests: list[str]) -> None:
    """Raise ValueError unless the node registers the schema with digest ``expected_hex``."""
    if expected_hex in (digest.lower() for digest in node_digests):
        return
    node = ", ".join(node_digests) if node_digests else "none (no protocol bundle registers a Schema)"
    raise ValueError(
        f"schema digest mismatch: this code was generated for schema {expected_hex} but the node has {node}; "
        "regenerate the Python bindings from the node's contracts.yaml or deploy the matching protocol bundle"
    )


def _caller_dirs() -> list[Path]:
    """Directories of the files on the caller's stack (a service's own folder first), for relative topology paths."""
    dirs: list[Path] = []
    frame: FrameType | None = sys._getframe(0)
    while frame is not None:
        file = frame.f_globals.get("__file__")
        if isinstance(file, str):
            directory = Path(file).resolve().parent
            if directory not in dirs:
                dirs.append(directory)
        frame = frame.f_back
    return dirs


class Subscription:
    """One callback subscribed to one message type. ``close()`` is idempotent and safe from the callback itself."""

    __slots__ = ("_runtime", "_subscription_id", "_closed")

    def __init__(self, runtime: Runtime, subscription_id: int) -> None:
        self._runtime = runtime
        self._subscription_id = subscription_id
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called (directly, or by closing the runtime)."""
        return self._closed

    def close(self) -> None:
        """Stop delivery to the callback; messages already queued for it are skipped."""
        if self._closed:
            return
        self._closed = True
        self._runtime._unsubscribe(self._subscription_id)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Runtime:
    """A connection of Python code to the node's MessageBus, in process.

    ``schema_digest`` (the generated ``mycelium_protocol.SCHEMA_DIGEST``) must match a schema the node registers,
    else ValueError. ``topology_path`` and ``service_name`` go together; the service must be listed in the
    topology's ``[[nodes]].services``, else RuntimeError. Thread-safe; ``close()`` is idempotent.
    """

    def __init__(
        self,
        schema_digest: bytes | bytearray | memoryview | str | None = None,
        topology_path: str | Path | None = None,
        service_name: str | None = None,
    ) -> None:
        if (topology_path is None) != (service_name is None):
            given = "topology_path" if topology_path is not None else "service_name"
            raise RuntimeError(
                f"Runtime: {given} was given alone; pass both topology_path and service_name, or neither"
            )
        self._native = native()
        self.node_name: str | None = None
        if topology_path is not None and service_name is not None:
            topology_file = _topology.find_topology(topology_path, _caller_dirs())
            self.node_name = _topology.node_of_service(topology_file, service_name)
        if schema_digest is not None:
            check_schema(digest_hex(schema_digest), list(self._native.schema_digests()))
        self.service_name = service_name
        self._service_id = _context.current_service_id()
        self._table: dict[int, tuple[Callable[[Any], Any] | None, Callable[[Any], Any]]] = (
            self._native.callback_table(self._service_id)
        )
        self._lock = threading.Lock()
        self._subscriptions: dict[int, Subscription] = {}
        self._closed = False
        publish_message = getattr(self._native, "publish_message", None)
        if publish_message is not None:
            # The open runtime's publish is the bridge's C function (msg.TYPE_ID, msg.to_bytes(), publish): no
            # Python frame per message. close() removes it, so the method below answers a closed runtime.
            self.__dict__["publish"] = publish_message
        from mycelium_native import _host  # a deployed service's runtimes are closed when it stops or exits

        runner = _host.runner(self._service_id)
        if runner is not None:
            runner.track(self)

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("Runtime is closed")

    def publish(self, msg: _Message) -> None:
        """Publish ``msg`` (any object with ``TYPE_ID`` and ``to_bytes()``) to every subscriber on the bus.

        Inside the server an open runtime's ``publish`` is ``_mycelium.publish_message``, which does the same in C.
        """
        self._check_open()
        try:
            type_id = msg.TYPE_ID
        except AttributeError:
            raise TypeError(
                f"publish() takes a generated message (with TYPE_ID and to_bytes()), not {type(msg).__name__}"
            ) from None
        self._native.publish(type_id, msg.to_bytes())

    def subscribe(
        self, message_type: _MessageType[M], callback: Callable[[M], Any], *, inline: bool = False
    ) -> Subscription:
        """Call ``callback(message_type.from_bytes(payload))`` for every message of ``message_type``.

        Callbacks run on the service's dispatcher thread, one at a time, so a slow callback never slows a publisher.
        With ``inline=True`` the callback runs on the publisher's thread instead, before ``publish`` returns (Java's
        ``Delivery.INLINE``): the lowest latency, no thread hand-off, but a slow callback slows the publisher and may
        run at the same time as this service's other callbacks. Raising in a callback is logged and counted; it does
        not end the subscription and is never raised to the publisher.
        """
        self._check_open()
        type_id = getattr(message_type, "TYPE_ID", None)
        decode = getattr(message_type, "from_bytes", None)
        if not isinstance(type_id, int) or not callable(decode):
            raise TypeError(
                "subscribe() takes a generated message class (with TYPE_ID and from_bytes()), "
                f"not {message_type!r}"
            )
        if not callable(callback):
            raise TypeError(f"subscribe() callback must be callable, not {type(callback).__name__}")
        with self._lock:
            subscription_id = int(self._native.subscribe(self._service_id, type_id, bool(inline)))
            self._table[subscription_id] = (decode, callback)
            subscription = Subscription(self, subscription_id)
            self._subscriptions[subscription_id] = subscription
        return subscription

    def _unsubscribe(self, subscription_id: int) -> None:
        with self._lock:
            self._subscriptions.pop(subscription_id, None)
            self._table.pop(subscription_id, None)
        try:
            self._native.unsubscribe(self._service_id, subscription_id)
        except RuntimeError:
            if not self._service_stopped():
                raise

    def _service_stopped(self) -> bool:
        try:
            self._native.callback_table(self._service_id)
        except (RuntimeError, ValueError):
            return True
        return False

    def close(self) -> None:
        """Close every subscription of this runtime."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self.__dict__.pop("publish", None)
            subscriptions = list(self._subscriptions.values())
        for subscription in subscriptions:
            subscription.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
