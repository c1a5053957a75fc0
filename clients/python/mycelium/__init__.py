"""Mycelium for Python: typed messages over the Mycelium wire protocol.

Out-of-process clients connect to a node with :class:`UnixTransport` / :class:`TcpTransport` /
:class:`ShmTransport` (shared memory), or route by
``topology.toml`` with :meth:`MessageBus.from_topology`. Importing this package starts no threads and opens no
sockets (services are hot-reloaded by importing again): ``connect()`` does. The wire codecs live in
:mod:`mycelium.wire`, the error types in :mod:`mycelium.errors`.
"""

from mycelium.bus import MessageBus
from mycelium.connection import ConnectionStats
from mycelium.errors import (ConfigurationError, ConnectFailed, ConnectionLost, LinkError, MyceliumError, NotConnected,
                             RecvTimeout, SchemaError, TlsFailed)
from mycelium.pubsub import DEFAULT_QUEUE_CAPACITY, Publisher, Subscriber, SubscriberStats
from mycelium.tls import TlsOptions
from mycelium.topology import Endpoint, Node, Route, TlsSettings, Topology, load_topology
from mycelium.shmring import AtomicsUnavailable, RingCorrupt
from mycelium.transport import ShmTransport, TcpTransport, Transport, UnixTransport
from mycelium.wire.handshake import HandshakeFailed, HandshakeRejected
from mycelium.wire.shm import SegmentRefused

__all__ = [
    "AtomicsUnavailable",
    "ConfigurationError",
    "ConnectFailed",
    "ConnectionLost",
    "ConnectionStats",
    "DEFAULT_QUEUE_CAPACITY",
    "Endpoint",
    "HandshakeFailed",
    "HandshakeRejected",
    "LinkError",
    "MessageBus",
    "MyceliumError",
    "Node",
    "NotConnected",
    "Publisher",
    "RecvTimeout",
    "RingCorrupt",
    "Route",
    "SchemaError",
    "SegmentRefused",
    "ShmTransport",
    "Subscriber",
    "SubscriberStats",
    "TcpTransport",
    "TlsFailed",
    "TlsOptions",
    "TlsSettings",
    "Topology",
    "Transport",
    "UnixTransport",
    "load_topology",
]
