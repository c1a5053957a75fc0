"""Version 1 of the service replaced under load."""
import time

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import CounterUpdate

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
count = 0


def on_update(msg):
    global count
    count += 1
    if count == 1:
        print(f"RELOAD v1 first message counter_id={msg.counter_id}")


runtime.subscribe(CounterUpdate, on_update)
print("RELOAD ready reloaded v1")
while True:
    time.sleep(1)
