"""Counts CounterUpdate while another service is replaced next to it; prints every 10 000."""
import time

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import CounterUpdate

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
count = 0


def on_update(msg):
    global count
    count += 1
    if count % 10000 == 0:
        print(f"steady_counter count={count}")


runtime.subscribe(CounterUpdate, on_update)
print("RELOAD ready steady_counter")
while True:
    time.sleep(1)
