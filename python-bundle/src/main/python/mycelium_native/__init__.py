"""In-process access to the Mycelium bus of the JVM that embeds this interpreter.

The seed's FFI API, unchanged::

    from mycelium_native import Runtime
    runtime = Runtime(schema_digest=SCHEMA_DIGEST)
    runtime.publish(msg)
    subscription = runtime.subscribe(MessageType, callback)
    subscription.close()
    runtime.close()

Messages cross into Java once per publish (``msg.to_bytes()``), callbacks receive ``MessageType.from_bytes(payload)``.
A Java exception thrown by the host reaches Python as ``JavaError`` (``JavaArgumentError``, also a ``ValueError``, for
an ``IllegalArgumentException``). Importing this package starts no threads and opens nothing.
"""

from mycelium_native._errors import JavaArgumentError, JavaError
from mycelium_native._runtime import Runtime, Subscription

__all__ = ["JavaArgumentError", "JavaError", "Runtime", "Subscription"]
