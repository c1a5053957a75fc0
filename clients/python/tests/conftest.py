"""Puts this project's ``mycelium`` package first on sys.path, so tests never pick up an installed copy, and builds
its C extension (``mycelium._shm_atomics``) in place with the project's own build backend when it is missing or
stale, as an editable install would. Without a compiler the shm tests run on the pure-Python path (x86-64)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

_MAIN = Path(__file__).resolve().parents[1]
if str(_MAIN) not in sys.path:
    sys.path.insert(0, str(_MAIN))


def _build_extension_in_place() -> None:
    sys.path.insert(0, str(_MAIN / "_build"))
    try:
        importlib.import_module("mycelium_build").build_extensions_in_place()
    finally:
        sys.path.remove(str(_MAIN / "_build"))


_build_extension_in_place()
