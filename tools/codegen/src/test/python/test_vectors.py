"""WIRE.md test vectors and the schema digest, byte for byte."""
import hashlib

from conftest import CONTRACTS
import mycelium_protocol
from mycelium_protocol.messages import BatchOperation, CounterUpdate, TextMessage


def frame(message):
    payload = message.to_bytes()
    return message.TYPE_ID.to_bytes(2, "little") + len(payload).to_bytes(4, "little") + payload


def test_counter_update_vectors():
    assert frame(CounterUpdate(counter_id=42, value=100, delta=5)).hex(" ") == \
        "ea 03 10 00 00 00 2a 00 00 00 00 00 00 00 64 00 00 00 05 00 00 00"
    assert frame(CounterUpdate(1, -1, -2)).hex(" ") == \
        "ea 03 10 00 00 00 01 00 00 00 00 00 00 00 ff ff ff ff fe ff ff ff"


def test_text_message_vector():
    data = frame(TextMessage(sender="alice", content="Hello, World!", timestamp=1234567890))
    assert len(data) == 318
    assert data[:6].hex(" ") == "e9 03 38 01 00 00"
    assert data[6:19].hex(" ") == "05 00 00 00 00 00 00 00 61 6c 69 63 65"
    assert data[19:46] == bytes(27)
    assert data[46:67].hex(" ") == "0d 00 00 00 00 00 00 00 48 65 6c 6c 6f 2c 20 57 6f 72 6c 64 21"
    assert data[310:].hex(" ") == "d2 02 96 49 00 00 00 00"
    assert hashlib.sha256(data).hexdigest() == "fa75fcfd2ca40714e510b6aaf2f682b37edabb2729a714ee2f02b77a90e17296"


def test_batch_operation_has_rust_size_and_zero_tail_padding():
    data = frame(BatchOperation(operation_id=999, items=[b"\x01" * 20, b"\x02" * 20, b"\x03" * 20], total_count=3))
    assert BatchOperation.SIZE == 224
    assert data[:6].hex(" ") == "eb 03 e0 00 00 00"
    assert data[6 + 216:].hex(" ") == "03 00 00 00 00 00 00 00"
    assert hashlib.sha256(data).hexdigest() == "7b1ccbd3b747596b38b060733900465b5d44e71f76a46ebcd67b0e4e1507d63c"


def test_schema_digest_is_sha256_of_contracts_file():
    digest = hashlib.sha256(CONTRACTS.read_bytes()).digest()
    assert mycelium_protocol.SCHEMA_DIGEST == digest
    assert mycelium_protocol.SCHEMA_DIGEST_HEX == digest.hex()
    assert mycelium_protocol.SCHEMA_ID == "0x4D594345"
