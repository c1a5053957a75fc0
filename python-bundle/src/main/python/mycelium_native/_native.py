"""Access to the built-in module ``_mycelium`` that the Java host registers before starting the interpreter."""

from __future__ import annotations

import sys
from types import ModuleType


def native() -> ModuleType:
    """Return ``_mycelium``; raise RuntimeError outside the Mycelium server (no embedding JVM)."""
    module = sys.modules.get("_mycelium")
    if module is not None:
        return module
    try:
        import _mycelium
    except ImportError:
        raise RuntimeError(
            "mycelium_native works only inside the Mycelium server (the built-in module _mycelium is missing); "
            "out of process, use the mycelium package's UnixTransport or TcpTransport"
        ) from None
    return _mycelium
