"""A topology-aware client: ``MessageBus.from_topology`` routes publishers and subscribers by topology.toml."""

from __future__ import annotations

import os
import threading
from types import TracebackType
from typing import Any, Self

from mycelium.errors import ConfigurationError, NotConnected
from mycelium.message import M
from mycelium.pubsub import Publisher, Subscriber
from mycelium.tls import TlsOptions
from mycelium.topology import Node, Route, Topology, load_topology
from mycelium.transport import ShmTransport, TcpTransport, Transport, UnixTransport, coerce_digest

__all__ = ["MessageBus"]


class MessageBus:
    """The Python service ``service_name`` of a topology, as a client of the nodes it talks to.

    :meth:`publisher_to` connects (lazily, once per node) to the node hosting the target service; :meth:`subscriber`
    subscribes on this service's own node, whose runtime delivers what the service receives. Where each node is
    reached follows :meth:`mycelium.topology.Topology.route`. Thread-safe. ``options`` go to every transport
    (``legacy``, ``connect_timeout``, ``queue_capacity``, ``max_payload_length``); the HELLO carries
    ``service_name`` as the client name.

    When the topology has ``[tls]``, TCP links speak TLS 1.3 with the certificate of this service's node
    (``dir/<node>.pem`` and ``.key``) and expect the dialled node's certificate to carry its name. Relative paths are
    resolved against ``tls_home`` (default: the environment variable ``MYCELIUM_HOME``, else the current folder),
    as a node resolves them against its home folder.
    """

    def __init__(self, topology: Topology, service_name: str, schema_digest: bytes | bytearray | memoryview | str,
                 **options: Any) -> None:
        self.topology = topology
        self.service_name = service_name
        self.node: Node = topology.node_of(service_name)
        self._digest = coerce_digest(schema_digest)
        self._tls_home = os.fspath(options.pop("tls_home", None) or os.environ.get("MYCELIUM_HOME") or ".")
        self._options = options
        self._options.setdefault("client_name", service_name)
        self._lock = threading.Lock()
        self._transports: dict[str, Transport] = {}
        self._closed = False

    @classmethod
    def from_topology(cls, path: str | os.PathLike[str], service_name: str,
                      schema_digest: bytes | bytearray | memoryview | str, **options: Any) -> MessageBus:
        """Load ``path`` (topology.toml) and return the bus of ``service_name``; nothing is connected yet.

        Raises ConfigurationError for an unreadable or invalid topology or a service it does not place.
        """
        return cls(load_topology(path), service_name, schema_digest, **options)

    def route_to(self, service: str) -> Route:
        """How this service reaches the node hosting ``service`` (ConfigurationError for an unknown service)."""
        return self.topology.route(self.node, self.topology.node_of(service))

    def transport_to(self, service: str) -> Transport:
        """The connected transport to the node hosting ``service``, opened on first use and then shared."""
        route = self.route_to(service)
        with self._lock:
            if self._closed:
                raise NotConnected(f"message bus of service '{self.service_name}' is closed")
            transport = self._transports.get(route.node)
            if transport is None or not transport.connected:
                transport = self._open(route)
                self._transports[route.node] = transport
            return transport

    def _open(self, route: Route) -> Transport:
        transport: Transport
        if route.kind == "unix":
            assert route.path is not None
            transport = UnixTransport(route.path, self._digest, **self._options)
        elif route.kind == "shm":
            assert route.path is not None
            transport = ShmTransport(route.path, self._digest, **self._options)
        else:
            assert route.host is not None and route.port is not None
            tls = self._tls_options()
            transport = TcpTransport(route.host, route.port, self._digest, tls=tls,
                                     server_hostname=route.node if tls is not None else None, **self._options)
        try:
            return transport.connect()
        except ConfigurationError:
            raise
        except Exception as error:
            # Say which node and service the address came from; keep the original type for except clauses.
            error.add_note(f"while connecting service '{self.service_name}' to node '{route.node}' "
                           f"({route.describe()}) as given by {self.topology.source}")
            raise

    def _tls_options(self) -> TlsOptions | None:
        """This service's node's TLS files from the topology's [tls], or None without one."""
        settings = self.topology.tls
        if settings is None:
            return None
        home = self._tls_home
        node = self.node.name
        return TlsOptions(ca=os.path.join(home, settings.ca), cert=os.path.join(home, settings.certificate(node)),
                          key=os.path.join(home, settings.key(node)))

    def publisher_to(self, service: str, message_type: type[M]) -> Publisher[M]:
        """A publisher of ``message_type`` to the node hosting ``service``."""
        return self.transport_to(service).publisher(message_type)

    def subscriber(self, message_type: type[M], capacity: int | None = None) -> Subscriber[M]:
        """A subscriber of ``message_type`` on this service's own node."""
        return self.transport_to(self.service_name).subscriber(message_type, capacity)

    def close(self) -> None:
        """Close every transport this bus opened. Idempotent."""
        with self._lock:
            self._closed = True
            transports = list(self._transports.values())
            self._transports.clear()
        for transport in transports:
            transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
