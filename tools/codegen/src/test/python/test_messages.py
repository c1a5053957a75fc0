"""Behaviour of the generated message classes: construction, errors, decoding inputs, numpy interop."""
import array
import pathlib

import pytest

import mycelium_protocol
from mycelium_protocol.messages import (TYPES, AllArrays, AllScalars, AllVectors, BatchOperation, CounterUpdate,
                                        Empty, TextMessage)


def test_keyword_construction_defaults_and_class_constants():
    m = TextMessage(sender="bob")
    assert (m.sender, m.content, m.timestamp) == ("bob", "", 0)
    assert (TextMessage.TYPE_ID, TextMessage.TOPIC, TextMessage.SIZE) == (1001, "examples", 312)
    assert AllScalars.TOPIC == "market-data"
    assert AllArrays().hash == bytes(32)
    assert list(AllArrays().f32s) == [0.0, 0.0, 0.0]


def test_types_maps_ids_to_classes():
    assert TYPES == {1001: TextMessage, 1002: CounterUpdate, 1003: BatchOperation, 2001: AllScalars,
                     2002: AllArrays, 2003: AllVectors, 2004: Empty}
    for cls in TYPES.values():
        assert cls._STRUCT.size == cls.SIZE


def test_slots_reject_unknown_attributes():
    with pytest.raises(AttributeError):
        CounterUpdate().colour = "red"


def test_equality_and_repr():
    assert CounterUpdate(1, 2, 3) == CounterUpdate(counter_id=1, value=2, delta=3)
    assert CounterUpdate(1, 2, 3) != CounterUpdate(1, 2, 4)
    assert CounterUpdate(1, 2, 3) != TextMessage()
    assert repr(CounterUpdate(1, 2, 3)) == "CounterUpdate(counter_id=1, value=2, delta=3)"
    assert repr(TextMessage("a", "b", 1)) == "TextMessage(sender='a', content='b', timestamp=1)"
    assert AllArrays(f32s=[1.0, 2.0, 3.0]) == AllArrays(f32s=array.array("f", [1, 2, 3]))


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda b: memoryview(bytearray(b))])
def test_from_bytes_accepts_bytes_bytearray_and_memoryview(wrap):
    data = CounterUpdate(42, 100, 5).to_bytes()
    assert CounterUpdate.from_bytes(wrap(data)) == CounterUpdate(42, 100, 5)


def test_from_bytes_requires_exact_size():
    with pytest.raises(ValueError, match=r"^CounterUpdate: payload of 15 bytes, expected exactly 16 \(type id 1002\)$"):
        CounterUpdate.from_bytes(bytes(15))
    with pytest.raises(ValueError, match="payload of 17 bytes, expected exactly 16"):
        CounterUpdate.from_bytes(bytearray(17))


def test_decode_rejects_count_over_capacity_and_bad_utf8():
    data = bytearray(TextMessage("ab", "c", 1).to_bytes())
    data[0] = 33
    with pytest.raises(ValueError, match=r"^TextMessage\.sender: count 33 exceeds capacity 32$"):
        TextMessage.from_bytes(data)
    data[0] = 2
    data[9] = 0xC0
    with pytest.raises(ValueError, match=r"^TextMessage\.sender: invalid UTF-8 at byte 1 of 2$"):
        TextMessage.from_bytes(data)


def test_encode_errors_name_class_and_field():
    with pytest.raises(ValueError, match=r"^TextMessage\.sender: UTF-8 length 34 exceeds capacity 32$"):
        TextMessage(sender="é" * 17).to_bytes()
    with pytest.raises(ValueError, match=r"^TextMessage\.sender: expected str, got int$"):
        TextMessage(sender=5).to_bytes()
    with pytest.raises(ValueError, match=r"^CounterUpdate\.value = 2147483648 is out of range for i32"):
        CounterUpdate(value=2**31).to_bytes()
    with pytest.raises(ValueError, match=r"^CounterUpdate\.counter_id = -1 is out of range for u64"):
        CounterUpdate(counter_id=-1).to_bytes()
    with pytest.raises(ValueError, match=r"^CounterUpdate\.delta: expected int for i32, got str$"):
        CounterUpdate(delta="5").to_bytes()
    with pytest.raises(ValueError, match=r"^AllScalars\.a_f32 = 1e\+300 is out of range for f32$"):
        AllScalars(a_f32=1e300).to_bytes()
    with pytest.raises(ValueError, match=r"^AllScalars\.a_f64: expected float, got str$"):
        AllScalars(a_f64="x").to_bytes()
    with pytest.raises(ValueError, match=r"^BatchOperation\.items: length 11 exceeds capacity 10$"):
        BatchOperation(items=[bytes(20)] * 11).to_bytes()
    with pytest.raises(ValueError, match=r"^BatchOperation\.items\[1\]: item of 3 bytes, expected 20$"):
        BatchOperation(items=[bytes(20), b"abc"]).to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob: length 17 exceeds capacity 16$"):
        AllVectors(blob=bytes(17)).to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob: expected bytes, a buffer or an iterable of ints in 0\.\.255, got int$"):
        AllVectors(blob=3).to_bytes()
    with pytest.raises(ValueError, match=r"^AllArrays\.hash: length 31, expected exactly 32$"):
        AllArrays(hash=bytes(31)).to_bytes()
    with pytest.raises(ValueError, match=r"^AllArrays\.f32s: length 2, expected exactly 3$"):
        AllArrays(f32s=[1.0, 2.0]).to_bytes()
    with pytest.raises(ValueError, match=r"^AllArrays\.u16s\[2\] = 65536 is out of range for u16"):
        AllArrays(u16s=[1, 2, 65536]).to_bytes()
    with pytest.raises(ValueError, match=r"^TextMessage\.sender: not encodable as UTF-8"):
        TextMessage(sender="\ud800").to_bytes()


def test_validate_checks_contract_rules():
    with pytest.raises(ValueError, match=r"^TextMessage\.sender must not be empty$"):
        TextMessage(sender="", content="x").validate()
    with pytest.raises(ValueError, match=r"^BatchOperation\.items: length 0 below minimum 1$"):
        BatchOperation().validate()
    TextMessage(sender="a", content="b").validate()


def test_pack_into_writes_at_offset_and_zeroes_padding():
    buffer = bytearray(b"\xff" * (AllScalars.SIZE + 4))
    AllScalars(a_u8=1, tail=2).pack_into(buffer, 4)
    assert bytes(buffer[4:]) == AllScalars(a_u8=1, tail=2).to_bytes()
    assert buffer[4 + 1:4 + 8] == bytes(7)
    assert buffer[:4] == b"\xff" * 4


def test_numeric_arrays_accept_sequences_and_buffers_and_decode_for_numpy():
    np = pytest.importorskip("numpy")
    features = np.array([1.5, -2.0, 3.25], dtype=np.float32)
    message = AllArrays(f32s=features, f64s=np.array([1.0, 2.0]), u64s=(1, 2**64 - 1),
                        i8s=memoryview(array.array("b", [1, -2, 3, -4, 5])), i32s=np.arange(3, dtype=np.int32))
    decoded = AllArrays.from_bytes(message.to_bytes())
    assert list(decoded.i8s) == [1, -2, 3, -4, 5]
    assert list(decoded.i32s) == [0, 1, 2]
    assert isinstance(decoded.f32s, array.array)
    assert np.array_equal(np.frombuffer(decoded.f32s, dtype=np.float32), features)
    assert list(decoded.u64s) == [1, 2**64 - 1]
    assert decoded == message


def test_numeric_arrays_reject_raw_bytes():
    with pytest.raises(ValueError, match=r"^AllArrays\.i8s: expected a sequence of 5 numbers, got bytes$"):
        AllArrays(i8s=bytes(5)).to_bytes()


def test_bytes_fields_round_trip_as_bytes():
    message = AllVectors(tiny="héj"[:2], blob=bytearray(b"\x00\x01"), keys=[b"abc", memoryview(b"def")])
    decoded = AllVectors.from_bytes(message.to_bytes())
    assert decoded.blob == b"\x00\x01"
    assert decoded.keys == (b"abc", b"def")
    assert decoded == message


def test_byte_vectors_accept_iterables_of_ints_like_the_original_sdk():
    # the original Mycelium SDK takes a Vec<u8> as a list of ints; any iterable of ints in 0..255 works here too
    from_list = AllVectors(blob=[1, 2, 255], keys=[[97, 98, 99]]).to_bytes()
    from_bytes = AllVectors(blob=b"\x01\x02\xff", keys=[b"abc"]).to_bytes()
    assert from_list == from_bytes
    assert AllVectors(blob=(x for x in range(3))).to_bytes() == AllVectors(blob=b"\x00\x01\x02").to_bytes()
    assert AllVectors(blob=array.array("q", [7, 8])).to_bytes() == AllVectors(blob=b"\x07\x08").to_bytes()
    assert AllVectors.from_bytes(from_list).blob == b"\x01\x02\xff"
    assert AllArrays(hash=list(range(32))).to_bytes() == AllArrays(hash=bytes(range(32))).to_bytes()


def test_byte_vectors_name_the_field_and_element_when_an_int_is_out_of_range():
    with pytest.raises(ValueError, match=r"^AllVectors\.blob\[1\] = 256 is out of range for u8 \(0\.\.255\)$"):
        AllVectors(blob=[1, 256]).to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob\[0\] = -1 is out of range for u8 \(0\.\.255\)$"):
        AllVectors(blob=[-1]).to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob\[2\]: expected an int in 0\.\.255, got str$"):
        AllVectors(blob=[1, 2, "3"]).to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob: expected bytes, a buffer or an iterable of ints in "
                                         r"0\.\.255, got str$"):
        AllVectors(blob="abc").to_bytes()
    with pytest.raises(ValueError, match=r"^AllVectors\.blob: length 17 exceeds capacity 16$"):
        AllVectors(blob=[0] * 17).to_bytes()


def test_empty_message_and_py_typed():
    assert Empty().to_bytes() == b""
    assert Empty.from_bytes(b"") == Empty()
    assert (pathlib.Path(mycelium_protocol.__file__).parent / "py.typed").exists()
