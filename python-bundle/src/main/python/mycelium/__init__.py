"""Mycelium for Python: typed messages over the Mycelium wire protocol.

Importing this package starts no threads and opens no sockets (services are hot-reloaded by importing again).
The wire codecs live in :mod:`mycelium.wire`, the error types in :mod:`mycelium.errors`.
"""

from mycelium.errors import ConfigurationError, LinkError, MyceliumError, SchemaError

__all__ = ["ConfigurationError", "LinkError", "MyceliumError", "SchemaError"]
