# --- harness (added by the e2e test) ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import Input, Result

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


class _EchoModel:
    def predict_batch(self, batch):
        return [Result(data=msg.data, sequence=msg.sequence) for msg in batch]


model = _EchoModel()
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
import queue
import threading

batch_queue = queue.Queue(maxsize=1000)

def batch_worker():
    while True:
        batch = []
        try:
            # Collect up to 100 messages
            for _ in range(100):
                batch.append(batch_queue.get(timeout=0.01))
        except queue.Empty:
            pass

        if batch:
            results = model.predict_batch(batch)
            for result in results:
                runtime.publish(result)

threading.Thread(target=batch_worker, daemon=True).start()

def handle_input(msg):
    batch_queue.put(msg)

runtime.subscribe(Input, handle_input)
# --- harness (added by the e2e test) ---
print("HARNESS ready seed_batch")
