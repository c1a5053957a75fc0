"""The result contract: `RESULT <json>` and `CURVE <json>` lines on a harness's standard output."""
import json
import math
import re

METRICS = ("p50_ns", "p99_ns", "p999_ns", "mean_ns", "msgs_per_s", "ns_per_op", "bytes_per_op")
ROLES = ("subject", "floor", "peer")
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")


class ContractError(ValueError):
    """A RESULT or CURVE line that breaks the contract; the message names what is wrong."""


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _require(obj, key, kind, line):
    if key not in obj:
        raise ContractError(f"missing key '{key}' in: {line}")
    if not isinstance(obj[key], kind):
        raise ContractError(f"key '{key}' must be {kind.__name__ if isinstance(kind, type) else 'valid'}, "
                            f"not {obj[key]!r}, in: {line}")


def parse_line(line):
    """Returns ('RESULT', dict), ('CURVE', dict), or None for any other line; raises ContractError for a
    RESULT/CURVE line that is not valid."""
    line = line.rstrip("\r\n")
    if line.startswith("RESULT "):
        kind = "RESULT"
    elif line.startswith("CURVE "):
        kind = "CURVE"
    else:
        return None
    try:
        obj = json.loads(line[len(kind) + 1:])
    except json.JSONDecodeError as e:
        raise ContractError(f"not JSON ({e.msg} at column {e.colno + len(kind) + 1}): {line}") from None
    if not isinstance(obj, dict):
        raise ContractError(f"not a JSON object: {line}")
    _require(obj, "suite", str, line)
    _require(obj, "name", str, line)
    if not obj["suite"] or not obj["name"]:
        raise ContractError(f"suite and name must not be empty: {line}")
    role = obj.get("role", "subject")
    if role not in ROLES:
        raise ContractError(f"role must be one of {', '.join(ROLES)}, not {role!r}: {line}")
    obj.setdefault("params", {})
    _require(obj, "params", dict, line)
    if kind == "RESULT":
        _require(obj, "metric", str, line)
        if not _METRIC.match(obj["metric"]):
            raise ContractError(f"metric must be snake_case like p50_ns or msgs_per_s, not {obj['metric']!r}: {line}")
        if "value" not in obj:
            raise ContractError(f"missing key 'value' in: {line}")
        if not _number(obj["value"]):
            raise ContractError(f"value must be a finite number, not {obj['value']!r}: {line}")
        _require(obj, "unit", str, line)
    else:
        _require(obj, "points", list, line)
        last = -1.0
        for point in obj["points"]:
            if (not isinstance(point, list) or len(point) != 2 or not all(_number(v) for v in point)
                    or not 0 <= point[0] <= 100 or point[0] < last):
                raise ContractError(f"points must be [percentile 0..100 ascending, value] pairs, not {point!r}: "
                                    f"{line}")
            last = point[0]
        if not obj["points"]:
            raise ContractError(f"a curve needs points: {line}")
        obj.setdefault("unit", "ns")
    if "role" in obj:
        obj["explicit_role"] = True
    obj["role"] = role
    return kind, obj
