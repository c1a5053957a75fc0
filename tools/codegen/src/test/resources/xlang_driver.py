"""Cross-language codec driver for the Java tests (CrossLanguageTest).

check:            stdin lines "type_id|payload_hex|field|field..." made by Java. For each, build the message
                  from the canonical field texts, require to_bytes() == payload and canon(from_bytes(payload)) ==
                  fields. Prints "ok" or "FAIL <line> <reason>" per line.
generate N SEED:  prints N lines per message type in the same format, from Python-side random values.

Canonical text: integers in decimal, f32/f64 as little-endian bit hex, bool 1/0, strings/bytes as hex,
lists joined by ",".
"""
import random
import re
import struct
import sys

from mycelium_protocol.messages import TYPES

_SCALARS = {"u8": (0, 0xFF), "u16": (0, 0xFFFF), "u32": (0, 0xFFFFFFFF), "u64": (0, 2**64 - 1),
            "i8": (-2**7, 2**7 - 1), "i16": (-2**15, 2**15 - 1), "i32": (-2**31, 2**31 - 1),
            "i64": (-2**63, 2**63 - 1)}


def kind(type_text):
    m = re.fullmatch(r"\[(\w+); (\d+)\]", type_text)
    if m:
        return ("bytes", int(m.group(2))) if m.group(1) == "u8" else ("array", m.group(1), int(m.group(2)))
    m = re.fullmatch(r"String\((\d+)\)", type_text)
    if m:
        return ("str", int(m.group(1)))
    m = re.fullmatch(r"Vec<u8>\((\d+)\)", type_text)
    if m:
        return ("vec", int(m.group(1)))
    m = re.fullmatch(r"Vec<\[u8; (\d+)\]>\((\d+)\)", type_text)
    if m:
        return ("items", int(m.group(1)), int(m.group(2)))
    return ("scalar", type_text)


def parse_scalar(name, text):
    if name == "f32":
        return struct.unpack("<f", bytes.fromhex(text))[0]
    if name == "f64":
        return struct.unpack("<d", bytes.fromhex(text))[0]
    if name == "bool":
        return text == "1"
    return int(text)


def canon_scalar(name, value):
    if name == "f32":
        return struct.pack("<f", value).hex()
    if name == "f64":
        return struct.pack("<d", value).hex()
    if name == "bool":
        return "1" if value else "0"
    return str(int(value))


def parse(k, text):
    if k[0] == "scalar":
        return parse_scalar(k[1], text)
    if k[0] == "str":
        return bytes.fromhex(text).decode("utf-8")
    if k[0] in ("bytes", "vec"):
        return bytes.fromhex(text)
    if k[0] == "items":
        return [bytes.fromhex(t) for t in text.split(",")] if text else []
    return [parse_scalar(k[1], t) for t in text.split(",")]


def canon(k, value):
    if k[0] == "scalar":
        return canon_scalar(k[1], value)
    if k[0] == "str":
        return value.encode("utf-8").hex()
    if k[0] in ("bytes", "vec"):
        return bytes(value).hex()
    if k[0] == "items":
        return ",".join(bytes(v).hex() for v in value)
    return ",".join(canon_scalar(k[1], v) for v in value)


def random_scalar(rnd, name):
    if name == "bool":
        return rnd.random() < 0.5
    if name in ("f32", "f64"):
        fmt, bits = ("<f", 32) if name == "f32" else ("<d", 64)
        while True:
            value = struct.unpack(fmt, rnd.getrandbits(bits).to_bytes(bits // 8, "little"))[0]
            if value == value:
                return value
    low, high = _SCALARS[name]
    return rnd.choice([low, high, 0, rnd.randint(low, high)]) if rnd.random() < 0.2 else rnd.randint(low, high)


def random_string(rnd, capacity):
    out, used = [], 0
    for _ in range(rnd.randint(0, capacity)):
        roll = rnd.random()
        if roll < 0.6:
            cp = rnd.randint(0x20, 0x7E)
        else:
            cp = rnd.randint(0, 0x7FF) if roll < 0.8 else rnd.randint(0x800, 0x10FFFF)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        size = len(chr(cp).encode("utf-8"))
        if used + size > capacity:
            break
        used += size
        out.append(chr(cp))
    return "".join(out)


def random_value(rnd, k):
    if k[0] == "scalar":
        return random_scalar(rnd, k[1])
    if k[0] == "str":
        return random_string(rnd, k[1])
    if k[0] == "bytes":
        return rnd.randbytes(k[1])
    if k[0] == "vec":
        return rnd.randbytes(rnd.randint(0, k[1]))
    if k[0] == "items":
        return [rnd.randbytes(k[1]) for _ in range(rnd.randint(0, k[2]))]
    return [random_scalar(rnd, k[1]) for _ in range(k[2])]


def check(lines):
    for number, line in enumerate(lines, 1):
        parts = line.split("|")
        cls = TYPES[int(parts[0])]
        payload = bytes.fromhex(parts[1])
        kinds = [kind(t) for _, t in cls.FIELD_TYPES]
        texts = parts[2:] if kinds else []
        values = [parse(k, t) for k, t in zip(kinds, texts)]
        built = cls(**{name: v for (name, _), v in zip(cls.FIELD_TYPES, values)})
        encoded = built.to_bytes()
        if encoded != payload:
            print(f"FAIL {number} {cls.__name__} to_bytes differs: python {encoded.hex()} java {payload.hex()}")
            continue
        into = bytearray(len(payload) + 3)
        built.pack_into(into, 3)
        decoded = cls.from_bytes(memoryview(bytearray(payload)))
        got = [canon(k, getattr(decoded, name)) for k, (name, _) in zip(kinds, cls.FIELD_TYPES)]
        if bytes(into[3:]) != payload:
            print(f"FAIL {number} {cls.__name__} pack_into differs")
        elif got != texts:
            print(f"FAIL {number} {cls.__name__} from_bytes gave {got} expected {texts}")
        elif decoded.to_bytes() != payload:
            print(f"FAIL {number} {cls.__name__} re-encode differs")
        else:
            print("ok")


def generate(count, seed):
    rnd = random.Random(seed)
    for type_id, cls in sorted(TYPES.items()):
        kinds = [kind(t) for _, t in cls.FIELD_TYPES]
        for _ in range(count):
            values = [random_value(rnd, k) for k in kinds]
            message = cls(*values)
            texts = [canon(k, v) for k, v in zip(kinds, values)]
            print("|".join([str(type_id), message.to_bytes().hex()] + texts))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check([line for line in sys.stdin.read().splitlines() if line])
    else:
        generate(int(sys.argv[2]), int(sys.argv[3]))
