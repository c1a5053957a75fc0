# --- harness (added by the e2e test) ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import Input, Result

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


def process(arr):
    return arr * 2
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
import numpy as np

def handle_array_data(msg):
    # Convert to NumPy array (zero-copy if possible)
    arr = np.frombuffer(msg.data, dtype=np.float32)

    # Process
    result = process(arr)

    # Publish
    runtime.publish(Result(data=result.tobytes()))
# --- harness (added by the e2e test) ---
runtime.subscribe(Input, handle_array_data)
print("HARNESS ready seed_numpy")
