"""Fault: a busy loop at import that never returns (only the host's asynchronous stop ends it)."""
print("FAULT ready loops_at_import")
n = 0
while True:
    n += 1
