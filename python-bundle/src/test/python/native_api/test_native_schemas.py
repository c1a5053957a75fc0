"""Each protocol's generated package under its own name; mycelium_protocol while one is deployed (issue 12 item 9)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Iterator

import pytest

from mycelium_native import _schemas


def _protocol(root: Path, digest: str, message: str) -> Path:
    package = root / "mycelium_protocol"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"SCHEMA_DIGEST = bytes.fromhex('{digest}')\n")
    (package / "_codec.py").write_text("SIZE = 8\n")
    (package / "messages.py").write_text(f"from . import _codec\n\nclass {message}:\n    SIZE = _codec.SIZE\n")
    return package


@pytest.fixture
def isolated() -> Iterator[None]:
    """Leaves sys.modules' mycelium_protocol (the fixture package) and the finder as they were."""
    saved = {name: module for name, module in sys.modules.items() if name.startswith("mycelium_protocol")}
    yield
    for name in list(_schemas.packages()):
        _schemas.remove(name)
    for name in [n for n in sys.modules if n.startswith("mycelium_protocol")]:
        del sys.modules[name]
    sys.modules.update(saved)


def test_alias_names_the_only_protocol_and_own_names_import_each(tmp_path: Path, isolated: None) -> None:
    _schemas.add("mycelium_protocol_sensors", str(_protocol(tmp_path / "a", "aa" * 32, "SensorReading")), "sensors",
                 "com.acme.sensors")
    from mycelium_protocol.messages import SensorReading  # the seed's spelling, one protocol deployed

    assert SensorReading.__module__ == "mycelium_protocol_sensors.messages"
    assert _schemas.alias_target() == "mycelium_protocol_sensors"

    _schemas.add("mycelium_protocol_examples", str(_protocol(tmp_path / "b", "bb" * 32, "MarketData")), "examples",
                 "io.mycelium.examples")
    assert importlib.import_module("mycelium_protocol_sensors.messages").SensorReading is SensorReading
    market = importlib.import_module("mycelium_protocol_examples.messages").MarketData
    assert market.SIZE == 8
    assert importlib.import_module("mycelium_protocol_examples").SCHEMA_DIGEST == bytes.fromhex("bb" * 32)


def test_mycelium_protocol_import_names_every_protocol_when_several_are_deployed(
    tmp_path: Path, isolated: None
) -> None:
    _schemas.add("mycelium_protocol_sensors", str(_protocol(tmp_path / "a", "aa" * 32, "SensorReading")), "sensors",
                 "com.acme.sensors")
    _schemas.add("mycelium_protocol_examples", str(_protocol(tmp_path / "b", "bb" * 32, "MarketData")), "examples",
                 "io.mycelium.examples")

    with pytest.raises(ImportError) as error:
        importlib.import_module("mycelium_protocol.messages")
    message = str(error.value)
    assert "mycelium_protocol is ambiguous" in message
    assert "mycelium_protocol_sensors (schema 'sensors', bundle com.acme.sensors)" in message
    assert "mycelium_protocol_examples (schema 'examples', bundle io.mycelium.examples)" in message
    assert _schemas.alias_target() is None


def test_removing_a_protocol_purges_its_modules_and_gives_the_alias_back(tmp_path: Path, isolated: None) -> None:
    _schemas.add("mycelium_protocol_sensors", str(_protocol(tmp_path / "a", "aa" * 32, "SensorReading")), "sensors",
                 "com.acme.sensors")
    _schemas.add("mycelium_protocol_examples", str(_protocol(tmp_path / "b", "bb" * 32, "MarketData")), "examples",
                 "io.mycelium.examples")
    importlib.import_module("mycelium_protocol_sensors.messages")

    assert _schemas.remove("mycelium_protocol_sensors") == []
    assert not [name for name in sys.modules if name.startswith("mycelium_protocol_sensors")]
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("mycelium_protocol_sensors")
    from mycelium_protocol.messages import MarketData

    assert MarketData.__module__ == "mycelium_protocol_examples.messages"


def test_services_using_finds_classes_modules_and_instances_of_a_package(tmp_path: Path, isolated: None) -> None:
    _schemas.add("mycelium_protocol_sensors", str(_protocol(tmp_path / "a", "aa" * 32, "SensorReading")), "sensors",
                 "com.acme.sensors")
    messages = importlib.import_module("mycelium_protocol_sensors.messages")

    assert _schemas._belongs(messages.SensorReading, "mycelium_protocol_sensors")
    assert _schemas._belongs(messages, "mycelium_protocol_sensors")
    assert _schemas._belongs(messages.SensorReading(), "mycelium_protocol_sensors")
    assert not _schemas._belongs(messages.SensorReading, "mycelium_protocol_sensor")
    assert not _schemas._belongs(42, "mycelium_protocol_sensors")


def test_missing_names_a_protocol_package_imported_before_it_is_deployed(tmp_path: Path, isolated: None) -> None:
    service = tmp_path / "orders.py"
    service.write_text("import time\nfrom mycelium_protocol_orders.messages import Order\n"
                       "def later():\n    import mycelium_protocol_never\n")
    assert _schemas.missing(str(service)) == "mycelium_protocol_orders"
    _schemas.add("mycelium_protocol_orders", str(_protocol(tmp_path / "o", "cc" * 32, "Order")), "orders",
                 "com.acme.orders")
    assert _schemas.missing(str(service)) is None  # the import in a function does not hold the service


def test_missing_is_none_when_a_service_imports_no_protocol_or_cannot_be_parsed(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text("import time\ntry:\n    import mycelium_protocol_optional\nexcept ImportError:\n    pass\n")
    broken = tmp_path / "broken.py"
    broken.write_text("from mycelium_protocol_x import (\n")
    assert _schemas.missing(str(plain)) is None
    assert _schemas.missing(str(broken)) is None  # its start reports the SyntaxError
    assert _schemas.missing(str(tmp_path / "absent.py")) is None


def test_missing_reads_a_folder_service_main(tmp_path: Path, isolated: None) -> None:
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "__main__.py").write_text("import mycelium_protocol_folder_only\n")
    assert _schemas.missing(str(folder)) == "mycelium_protocol_folder_only"
