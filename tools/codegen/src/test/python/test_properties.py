"""Hypothesis properties: decode(encode(x)) == x for random values of every field type, padding always zero."""
import re
import struct

from hypothesis import given, settings, strategies as st

from mycelium_protocol.messages import TYPES

_INTS = {"u8": (0, 2**8 - 1), "u16": (0, 2**16 - 1), "u32": (0, 2**32 - 1), "u64": (0, 2**64 - 1),
         "i8": (-2**7, 2**7 - 1), "i16": (-2**15, 2**15 - 1), "i32": (-2**31, 2**31 - 1),
         "i64": (-2**63, 2**63 - 1)}


def scalar(name):
    if name in _INTS:
        return st.integers(*_INTS[name])
    if name == "bool":
        return st.booleans()
    return st.floats(allow_nan=False, width=32 if name == "f32" else 64)


def utf8_capped(capacity):
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=capacity).filter(
        lambda s: len(s.encode("utf-8")) <= capacity)


def strategy(type_text):
    m = re.fullmatch(r"\[(\w+); (\d+)\]", type_text)
    if m:
        n = int(m.group(2))
        if m.group(1) == "u8":
            return st.binary(min_size=n, max_size=n)
        return st.lists(scalar(m.group(1)), min_size=n, max_size=n)
    m = re.fullmatch(r"String\((\d+)\)", type_text)
    if m:
        return utf8_capped(int(m.group(1)))
    m = re.fullmatch(r"Vec<u8>\((\d+)\)", type_text)
    if m:
        return st.binary(max_size=int(m.group(1)))
    m = re.fullmatch(r"Vec<\[u8; (\d+)\]>\((\d+)\)", type_text)
    if m:
        k = int(m.group(1))
        return st.lists(st.binary(min_size=k, max_size=k), max_size=int(m.group(2)))
    return scalar(type_text)


messages = st.sampled_from(sorted(TYPES.values(), key=lambda c: c.TYPE_ID)).flatmap(
    lambda cls: st.fixed_dictionaries({name: strategy(t) for name, t in cls.FIELD_TYPES}).map(
        lambda kwargs: cls(**kwargs)))


def padding_offsets(cls):
    """Offsets of pad bytes ('x' in the struct format)."""
    offsets, offset = [], 0
    for count, code in re.findall(r"(\d*)([a-zA-Z?])", cls._STRUCT.format[1:]):
        n = int(count) if count else 1
        if code == "x":
            offsets.extend(range(offset, offset + n))
        offset += n * (1 if code in "xsBb?" else struct.calcsize("<" + code))
    return offsets


@settings(max_examples=600, deadline=None)
@given(messages)
def test_round_trip_preserves_value_and_bytes(message):
    data = message.to_bytes()
    assert len(data) == message.SIZE
    decoded = type(message).from_bytes(data)
    assert decoded == message
    assert decoded.to_bytes() == data


@settings(max_examples=300, deadline=None)
@given(messages)
def test_padding_and_unused_slots_are_zero(message):
    data = message.to_bytes()
    for offset in padding_offsets(type(message)):
        assert data[offset] == 0
    buffer = bytearray(b"\xa5" * message.SIZE)
    message.pack_into(buffer)
    assert bytes(buffer) == data
