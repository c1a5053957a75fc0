"""Times the generated Python codec (to_bytes / from_bytes) per example message with timeit.

Usage: PYTHONPATH=bundles/examples/target/classes/python python3 benchmarks/src/main/python/codec_timing.py
"""
import timeit

import numpy as np

from mycelium_protocol.messages import (BatchOperation, CounterUpdate, Features, MarketData, PredictionRequest,
                                        Result, TextMessage, TradeSignal)

SAMPLES = {
    "CounterUpdate (16 B)": CounterUpdate(counter_id=42, value=100, delta=5),
    "MarketData (64 B)": MarketData(symbol="BTC-USD", bid=64000.25, ask=64000.75, last=64000.5, volume=12.5,
                                    timestamp=1_732_406_400_000_000_000),
    "TradeSignal (64 B)": TradeSignal(symbol="BTC", action="buy", quantity=1.0, price=0.0, timestamp=1),
    "PredictionRequest (72 B, [f32; 16] list)": PredictionRequest(id=1, features=[0.5] * 16),
    "PredictionRequest (72 B, [f32; 16] numpy)": PredictionRequest(id=1, features=np.ones(16, dtype=np.float32)),
    "Features (88 B)": Features(symbol="ETH", features=[0.25] * 16),
    "BatchOperation (224 B)": BatchOperation(operation_id=999, items=[bytes([i]) * 20 for i in range(3)],
                                             total_count=3),
    "TextMessage (312 B)": TextMessage(sender="alice", content="Hello, World!", timestamp=1234567890),
    "Result (4112 B, 4 KiB data)": Result(data=np.arange(1024, dtype=np.float32).tobytes(), sequence=7),
}


def best_ns(statement, number):
    return min(timeit.repeat(statement, number=number, repeat=5)) / number * 1e9


def main():
    print(f"{'message':45} {'to_bytes ns':>12} {'from_bytes ns':>14}")
    for name, message in SAMPLES.items():
        data = message.to_bytes()
        cls = type(message)
        encode = best_ns(message.to_bytes, 20000)
        decode = best_ns(lambda: cls.from_bytes(data), 20000)
        print(f"{name:45} {encode:12.0f} {decode:14.0f}")


if __name__ == "__main__":
    main()
