"""Puts the package under test (src/main/python) first on sys.path, so tests never pick up an installed copy."""

from __future__ import annotations

import sys
from pathlib import Path

_MAIN = Path(__file__).resolve().parents[2] / "main" / "python"
if str(_MAIN) not in sys.path:
    sys.path.insert(0, str(_MAIN))
