"""Puts this project's ``mycelium`` package first on sys.path, so tests never pick up an installed copy."""

from __future__ import annotations

import sys
from pathlib import Path

_MAIN = Path(__file__).resolve().parents[1]
if str(_MAIN) not in sys.path:
    sys.path.insert(0, str(_MAIN))
