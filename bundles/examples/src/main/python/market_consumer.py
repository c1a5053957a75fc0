"""Example Python service of the embedded default: MarketData in, TradeSignal out (the seed's Pattern 1).

Keeps an exponential moving average of each symbol's last price and publishes a TradeSignal ("buy" when the price
crosses above its average, "sell" when it crosses below). The Java service java-market-feed publishes the
MarketData; java-signal-monitor logs the TradeSignals. Deploy: copy this file into deploy/.
"""
import time

from mycelium_native import Runtime
from mycelium_protocol_examples import SCHEMA_DIGEST
from mycelium_protocol_examples.messages import MarketData, TradeSignal

ALPHA = 0.2  # weight of the newest price in the moving average
LOGGED_IN_FULL = 3

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
averages: dict[str, float] = {}
above: dict[str, bool] = {}
received = 0
signals = 0


def handle_market_data(msg: MarketData) -> None:
    global received, signals
    received += 1
    average = averages.get(msg.symbol, msg.last)
    average = ALPHA * msg.last + (1 - ALPHA) * average
    averages[msg.symbol] = average
    now_above = msg.last > average
    if msg.symbol in above and above[msg.symbol] != now_above:
        action = "buy" if now_above else "sell"
        runtime.publish(TradeSignal(symbol=msg.symbol, action=action, quantity=1.0, price=msg.last,
                                    timestamp=time.time_ns()))
        signals += 1
        if signals <= LOGGED_IN_FULL:
            print(f"market_consumer: {action} {msg.symbol} at {msg.last:.2f} (average {average:.2f})")
    above[msg.symbol] = now_above


runtime.subscribe(MarketData, handle_market_data)
print("market_consumer: subscribed to MarketData; publishing TradeSignal on moving-average crossings")

# Keep running (the host ends this sleep at once when the service is stopped or replaced)
while True:
    time.sleep(10)
    print(f"market_consumer: {received} MarketData received, {signals} TradeSignal published")
