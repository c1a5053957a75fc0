# --- harness (added by the e2e test) ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import Input, Result

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


def expensive_computation(msg):
    return bytes(reversed(msg.data))
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
# Bad: Long-running computation in callback
def slow_handler(msg):
    result = expensive_computation(msg)  # Holds GIL
    runtime.publish(Result(result))

# Good: Offload to thread pool
import concurrent.futures
executor = concurrent.futures.ThreadPoolExecutor(max_workers=4)

def fast_handler(msg):
    future = executor.submit(expensive_computation, msg)
    future.add_done_callback(lambda f: runtime.publish(Result(f.result())))
# --- harness (added by the e2e test) ---
runtime.subscribe(Input, fast_handler)
print("HARNESS ready seed_gil_offload")
