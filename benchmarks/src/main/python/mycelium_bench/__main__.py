"""python3 -m mycelium_bench ...: the driver of `mycelium bench`."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
