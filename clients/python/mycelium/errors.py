"""The exception hierarchy of Mycelium for Python; it mirrors the Java one (MyceliumException and subclasses)."""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mycelium.wire import Goodbye


class MyceliumError(Exception):
    """Base of every error Mycelium raises at a boundary; the message says what was wrong, where, and how to fix it."""


class ConfigurationError(MyceliumError):
    """A topology, configuration file or argument is invalid."""


class SchemaError(MyceliumError):
    """A contracts file, schema digest or message layout is invalid or does not match its peer."""


class LinkError(MyceliumError):
    """A connection to another node failed or its peer broke the wire protocol."""


class NotConnected(LinkError):
    """A transport, publisher or subscriber was used before ``connect()`` or after this process closed it."""


class ConnectFailed(LinkError, ConnectionError):
    """The socket to a node could not be opened (no socket file, connection refused, unreachable host...)."""


class TlsFailed(ConnectFailed):
    """A TLS session with a node could not be established or broke: the node's certificate is not trusted or does not
    name the node dialled, the node refused this client's certificate, or one side has no TLS configured."""


class ConnectionLost(LinkError, ConnectionError):
    """An established connection ended: the server closed it, crashed, said GOODBYE or broke the wire format.

    ``goodbye`` is the server's GOODBYE (a :class:`mycelium.wire.Goodbye`) when it sent one, else None; ``clean`` is
    True only for a GOODBYE with reason NORMAL (an orderly shutdown of the server).
    """

    def __init__(self, message: str, goodbye: Goodbye | None = None, clean: bool = False) -> None:
        super().__init__(message)
        self.goodbye = goodbye
        self.clean = clean


class RecvTimeout(MyceliumError, TimeoutError, queue.Empty):
    """No message arrived within the timeout given to ``Subscriber.recv``.

    It is also a ``TimeoutError`` and a ``queue.Empty`` (what the original SDK raised), so existing handlers work.
    """
