"""The message usages of FFI_DEPLOYMENT_GUIDE.md's snippets, run against the bundle's python/mycelium_protocol.

argv[1]: hex of a MarketData payload encoded by Java (symbol BTC, bid 1.5, ask 2.5, last 2.0, volume 10, ts 7).
Prints the hex of a TradeSignal and a Result for Java to decode.
"""
import sys

import numpy as np

from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import (Features, Input, LocalMetric, MarketData, Prediction, PredictionRequest,
                                        PredictionResponse, ProcessedData, Result, StrategyCommand, TradeSignal)

assert len(SCHEMA_DIGEST) == 32
signal = TradeSignal(symbol="BTC", action="buy")
assert (signal.symbol, signal.action) == ("BTC", "buy")

data = MarketData.from_bytes(bytes.fromhex(sys.argv[1]))
assert (data.symbol, data.bid, data.ask, data.last, data.volume, data.timestamp) == ("BTC", 1.5, 2.5, 2.0, 10.0, 7)
assert MarketData.SIZE == 64 and MarketData.TOPIC == "market-data"
ProcessedData(result=data.last * 2).to_bytes()

request = PredictionRequest(id=9, features=np.arange(16, dtype=np.float32))
request = PredictionRequest.from_bytes(request.to_bytes())
response = PredictionResponse(request_id=request.id, prediction=float(np.sum(request.features)))
assert PredictionResponse.from_bytes(response.to_bytes()).prediction == 120.0

features = Features.from_bytes(Features(symbol="ETH", features=[0.5] * 16).to_bytes())
output = np.frombuffer(features.features, dtype=np.float32)
Prediction(symbol=features.symbol, score=float(output.mean())).to_bytes()
LocalMetric(name="latency_us", value=1.25, timestamp=1).to_bytes()
StrategyCommand(strategy="mean-revert", command="rebalance", symbol="BTC", quantity=1.0).to_bytes()

msg = Input.from_bytes(Input(data=np.array([1, 2, 3], dtype=np.float32).tobytes()).to_bytes())
arr = np.frombuffer(msg.data, dtype=np.float32)
result = arr * 2
print(signal.to_bytes().hex())
print(Result(data=result.tobytes()).to_bytes().hex())
print(Result(result.tobytes()).to_bytes().hex())
