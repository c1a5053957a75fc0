"""Fault: sys.exit(3) at import ends this service only."""
import sys

print("FAULT ready exits_3")
sys.exit(3)
