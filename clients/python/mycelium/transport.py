"""Client transports to a Mycelium node: :class:`UnixTransport` (Unix domain socket), :class:`TcpTransport` and
:class:`ShmTransport` (shared memory, attached through a node's Unix control socket).

``connect()`` opens the socket, performs the handshake (v1 by default, the original's with ``legacy=True``) and
starts the connection's single reader thread; nothing happens at construction or import.
"""

from __future__ import annotations

import os
import socket
from types import TracebackType
from typing import Any, Final, Self

from mycelium import wire
from mycelium.connection import Connection, ConnectionStats
from mycelium.errors import ConnectFailed, LinkError, NotConnected, SchemaError
from mycelium.message import M, check_message_type
from mycelium.pubsub import DEFAULT_QUEUE_CAPACITY, Publisher, Subscriber
from mycelium.shmconnection import DEFAULT_SPIN_MICROS, DEFAULT_YIELD_MICROS, Segment, ShmConnection
from mycelium.shmring import AtomicsUnavailable
from mycelium.tls import TlsOptions, TlsSocket
from mycelium.wire import shm
from mycelium.wire.handshake import SocketReader, handshake_legacy, handshake_v1

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "ShmTransport", "TcpTransport", "Transport", "UnixTransport", "coerce_digest"]

DEFAULT_CONNECT_TIMEOUT: Final = 10.0
"""Seconds allowed for opening the socket and for the handshake reply."""


def coerce_digest(schema_digest: bytes | bytearray | memoryview | str) -> bytes:
    """Return the 32-byte schema digest given as bytes or as 64 hex characters; raise SchemaError otherwise."""
    if isinstance(schema_digest, str):
        return wire.digest_from_hex(schema_digest)
    if isinstance(schema_digest, (bytes, bytearray, memoryview)):
        digest = bytes(schema_digest)
        if len(digest) != wire.DIGEST_LENGTH:
            raise SchemaError(f"schema digest is {len(digest)} bytes but must be {wire.DIGEST_LENGTH} (the SHA-256 "
                              f"of contracts.yaml); pass SCHEMA_DIGEST from the generated mycelium_protocol")
        return digest
    raise SchemaError(f"schema digest must be bytes or a hex string but is a {type(schema_digest).__name__}; pass "
                      f"SCHEMA_DIGEST from the generated mycelium_protocol")


def _default_client_name() -> str:
    return f"python-{os.getpid()}"


class Transport:
    """A client connection to one node, speaking the v1 handshake (or the legacy one with ``legacy=True``).

    Thread-safe. Use as a context manager (connects on entry if needed, closes on exit) or call :meth:`connect`
    and :meth:`close`. ``client_name`` is sent in the HELLO (1..255 UTF-8 bytes); ``queue_capacity`` is the
    default capacity of each subscriber's queue; ``max_payload_length`` bounds frames both ways.
    """

    def __init__(self, schema_digest: bytes | bytearray | memoryview | str, *, legacy: bool = False,
                 client_name: str | None = None, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                 queue_capacity: int = DEFAULT_QUEUE_CAPACITY,
                 max_payload_length: int = wire.DEFAULT_MAX_PAYLOAD_LENGTH) -> None:
        self.schema_digest = coerce_digest(schema_digest)
        self.legacy = legacy
        self.client_name = client_name if client_name is not None else _default_client_name()
        if not legacy:
            wire.Hello(digest=self.schema_digest, name=self.client_name)  # checks the name now, not at connect()
        if connect_timeout <= 0:
            raise ValueError(f"connect_timeout {connect_timeout} must be > 0 seconds")
        if not 1 <= queue_capacity <= 1 << 24:
            raise ValueError(f"queue_capacity {queue_capacity} is outside 1..{1 << 24}")
        self.connect_timeout = connect_timeout
        self.queue_capacity = queue_capacity
        self.max_payload_length = max_payload_length
        self._connection: Connection | None = None

    # ---- subclasses -------------------------------------------------------------------------------------------

    def describe(self) -> str:
        """Name the server for messages, e.g. ``unix socket /tmp/mycelium/a.sock``."""
        raise NotImplementedError

    def _open_socket(self) -> socket.socket:
        """Return a connected blocking socket whose timeout is ``connect_timeout``."""
        raise NotImplementedError

    def _establish(self, sock: socket.socket, server: str, accept: wire.Accept | None) -> Connection:
        """The connection over ``sock`` once the handshake succeeded (still with the connect timeout)."""
        sock.settimeout(None)
        return Connection(sock, server, self.legacy, accept, self.max_payload_length)

    # ---- lifecycle ----------------------------------------------------------------------------------------------

    def connect(self) -> Self:
        """Open the socket, handshake and start the reader thread; return self.

        Raises ConnectFailed when the socket cannot be opened, HandshakeRejected when the server refuses (e.g. a
        schema digest mismatch), HandshakeFailed when the handshake does not complete, and LinkError when already
        connected. Calling it again after the connection ended opens a new one (old subscribers stay ended).
        """
        if self._connection is not None and self._connection.alive:
            raise LinkError(f"{self.describe()} is already connected; close() it first")
        server = self.describe()
        sock = self._open_socket()
        try:
            accept = None
            if self.legacy:
                handshake_legacy(sock, self.schema_digest, server)
            else:
                accept = handshake_v1(sock, self.schema_digest, self.client_name, server)
            connection = self._establish(sock, server, accept)
        except BaseException:
            sock.close()
            raise
        connection.start()
        self._connection = connection
        return self

    @property
    def connected(self) -> bool:
        """Whether a connection is open and has not ended."""
        return self._connection is not None and self._connection.alive

    @property
    def connection(self) -> Connection:
        """The current connection; raise NotConnected before :meth:`connect`."""
        if self._connection is None:
            raise NotConnected(f"{self.describe()} is not connected; call connect() first")
        return self._connection

    @property
    def server_name(self) -> str | None:
        """The node name from the server's ACCEPT (None before connecting and on legacy links)."""
        return self._connection.server_name if self._connection is not None else None

    def stats(self) -> ConnectionStats:
        """Counters of the current connection."""
        return self.connection.stats()

    def ping(self, timeout: float = 5.0) -> float:
        """Round trip of a PING in seconds (v1 only); TimeoutError when no PONG came within ``timeout``."""
        return self.connection.ping(timeout)

    def close(self) -> None:
        """Say GOODBYE, close the connection and end every publisher and subscriber on it. Idempotent."""
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> Self:
        if not self.connected:
            self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # ---- publishers and subscribers -----------------------------------------------------------------------------

    def publisher(self, message_type: type[M]) -> Publisher[M]:
        """Return a publisher of ``message_type`` (a generated message class) on this connection."""
        type_id = check_message_type(message_type)
        connection = self._live_connection()
        return Publisher(message_type, type_id, connection)

    def subscriber(self, message_type: type[M], capacity: int | None = None) -> Subscriber[M]:
        """Subscribe to ``message_type`` on this connection (SUBSCRIBE is sent for a type's first subscriber).

        ``capacity`` overrides the transport's ``queue_capacity`` for this subscriber.
        """
        type_id = check_message_type(message_type)
        connection = self._live_connection()
        return Subscriber(message_type, type_id, connection,
                          self.queue_capacity if capacity is None else capacity)

    def _live_connection(self) -> Connection:
        connection = self.connection
        end = connection.end_error
        if end is not None:
            raise type(end)(f"{end}; call connect() again to reconnect")
        return connection

    def __repr__(self) -> str:
        state = "connected" if self.connected else "not connected"
        return f"{type(self).__name__}({self.describe()}, {state})"


class UnixTransport(Transport):
    """A client of a node's Unix domain socket at ``path`` (same host); ``options`` as for :class:`Transport`."""

    def __init__(self, path: str | os.PathLike[str], schema_digest: bytes | bytearray | memoryview | str,
                 **options: Any) -> None:
        self.path = os.fspath(path)
        super().__init__(schema_digest, **options)

    def describe(self) -> str:
        return f"unix socket {self.path}"

    def _open_socket(self) -> socket.socket:
        return _open_unix_socket(self.path, self.connect_timeout, self.describe())


def _open_unix_socket(path: str, timeout: float, server: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError as error:
        sock.close()
        why = "the socket file does not exist" if isinstance(error, FileNotFoundError) else (
            "nothing listens there" if isinstance(error, ConnectionRefusedError) else str(error))
        raise ConnectFailed(f"cannot connect to {server}: {why}; is the node running, and does its "
                            f"topology give it this socket path? ({error})") from error
    return sock


class ShmTransport(Transport):
    """A client of a node's shared-memory endpoint at ``path`` (same host; the node's ``endpoint.kind = "shm"``).

    ``connect()`` dials the control socket at ``path``, does the v1 handshake, then maps the segment the node
    attaches (checked first: owner, mode 0600, magic, version, digest, sizes) and answers SHM_ATTACHED; frames then
    travel through the segment's rings and the socket carries only doorbells. Same calls, errors and counters as
    :class:`UnixTransport`, plus :class:`mycelium.wire.shm.SegmentRefused` (a HandshakeFailed) for a segment this
    client refuses. ``spin_micros``/``yield_micros``: how long the reader spins, then yields, on an empty ring before
    parking on the socket. ``options`` as for :class:`Transport` (``legacy`` is not allowed: legacy clients cannot
    speak shared memory).
    """

    def __init__(self, path: str | os.PathLike[str], schema_digest: bytes | bytearray | memoryview | str, *,
                 spin_micros: int = DEFAULT_SPIN_MICROS, yield_micros: int = DEFAULT_YIELD_MICROS,
                 **options: Any) -> None:
        if options.get("legacy"):
            raise ValueError("legacy=True is not possible with ShmTransport: the original handshake cannot attach "
                             "shared memory; use UnixTransport for an original server")
        if not 0 <= spin_micros <= 1_000_000 or not 0 <= yield_micros <= 1_000_000:
            raise ValueError(f"spin_micros {spin_micros} and yield_micros {yield_micros} must be in 0..1000000")
        self.path = os.fspath(path)
        self.spin_micros = spin_micros
        self.yield_micros = yield_micros
        super().__init__(schema_digest, **options)

    def describe(self) -> str:
        return f"shm endpoint {self.path}"

    def _open_socket(self) -> socket.socket:
        return _open_unix_socket(self.path, self.connect_timeout, self.describe())

    def _establish(self, sock: socket.socket, server: str, accept: wire.Accept | None) -> Connection:
        assert accept is not None
        attach = shm.read_shm_attach(SocketReader(sock, server, "SHM_ATTACH"))
        try:
            segment = Segment.attach(attach, self.schema_digest)
        except shm.SegmentRefused as refused:
            self._answer(sock, shm.ShmAttached(refused.status, refused.why[:wire.MAX_TEXT_LENGTH]))
            raise
        except AtomicsUnavailable as error:
            self._answer(sock, shm.ShmAttached(shm.AttachStatus.NOT_PERMITTED, str(error)[:wire.MAX_TEXT_LENGTH]))
            raise
        try:
            sock.sendall(shm.encode_shm(shm.ShmAttached(shm.AttachStatus.OK)))
            sock.settimeout(None)
            return ShmConnection(sock, server, accept, self.max_payload_length, segment, self.spin_micros,
                                 self.yield_micros)
        except BaseException:
            segment.close(closed_by_client=True)
            raise

    @staticmethod
    def _answer(sock: socket.socket, attached: shm.ShmAttached) -> None:
        try:
            sock.sendall(shm.encode_shm(attached))
        except OSError:
            pass  # the refusal is raised here anyway; the node sees the socket close


class TcpTransport(Transport):
    """A client of a node's TCP endpoint at ``host``:``port``; ``options`` as for :class:`Transport`.

    With ``tls`` (:class:`mycelium.tls.TlsOptions`) the link speaks TLS 1.3: ``server_hostname`` is the node's name,
    which its certificate must carry; the node checks this client's certificate against its CA.
    """

    def __init__(self, host: str, port: int, schema_digest: bytes | bytearray | memoryview | str, *,
                 tls: TlsOptions | None = None, server_hostname: str | None = None, **options: Any) -> None:
        if not isinstance(port, int) or not 1 <= port <= 0xFFFF:
            raise ValueError(f"TCP port {port!r} is outside 1..65535")
        if tls is not None and not server_hostname:
            raise ValueError("server_hostname (the name of the node at this address, which its certificate carries) "
                             "is required with tls")
        self.host = host
        self.port = port
        self.tls = tls
        self.server_hostname = server_hostname
        super().__init__(schema_digest, **options)

    def describe(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp{'+tls' if self.tls is not None else ''} {host}:{self.port}"

    def _open_socket(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as error:
            why = "connection refused (nothing listens there)" if isinstance(error, ConnectionRefusedError) else (
                f"no answer within {self.connect_timeout} s" if isinstance(error, TimeoutError) else str(error))
            raise ConnectFailed(f"cannot connect to {self.describe()}: {why}; is the node running, and does its "
                                f"topology give it this address? ({error})") from error
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is None:
            return sock
        try:
            secured = TlsSocket(sock, self.tls.context(), self.server_hostname, self.describe())
            secured.handshake()
        except BaseException:
            sock.close()
            raise
        return secured  # type: ignore[return-value]  # the socket API the connection uses
