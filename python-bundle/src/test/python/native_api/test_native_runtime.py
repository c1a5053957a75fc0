from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_DIGEST, FakeNative

from mycelium_native import Runtime
from mycelium_native._runtime import digest_hex


def _messages():  # type: ignore[no-untyped-def]
    from mycelium_protocol import messages

    return messages


def test_runtime_accepts_the_node_schema_digest(fake_native: FakeNative) -> None:
    from mycelium_protocol import SCHEMA_DIGEST

    with Runtime(schema_digest=SCHEMA_DIGEST) as runtime:
        assert not runtime.closed
    assert runtime.closed


def test_runtime_raises_value_error_with_both_digests_on_mismatch(fake_native: FakeNative) -> None:
    with pytest.raises(ValueError, match=rf"generated for schema {'ab' * 32} but the node has {FIXTURE_DIGEST}"):
        Runtime(schema_digest=bytes.fromhex("ab" * 32))


def test_runtime_says_when_the_node_has_no_schema(fake_native: FakeNative) -> None:
    fake_native.digests = []
    with pytest.raises(ValueError, match="no protocol bundle registers a Schema"):
        Runtime(schema_digest=FIXTURE_DIGEST)


@pytest.mark.parametrize(
    ("digest", "error", "message"),
    [
        (b"short", ValueError, "must be 32 bytes"),
        ("zz" * 32, ValueError, "must be 64 hex characters"),
        (42, TypeError, "must be bytes or a hex str, not int"),
    ],
)
def test_digest_hex_rejects_malformed_digests(digest: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        digest_hex(digest)  # type: ignore[arg-type]


def test_digest_hex_accepts_bytes_and_hex() -> None:
    assert digest_hex(bytes(range(32))) == bytes(range(32)).hex()
    assert digest_hex(FIXTURE_DIGEST.upper()) == FIXTURE_DIGEST


@pytest.mark.parametrize("given", [{"topology_path": "topology.toml"}, {"service_name": "worker"}])
def test_runtime_requires_topology_path_and_service_name_together(
    fake_native: FakeNative, given: dict[str, str]
) -> None:
    with pytest.raises(RuntimeError, match="was given alone; pass both topology_path and service_name"):
        Runtime(**given)  # type: ignore[arg-type]


def test_runtime_finds_a_relative_topology_next_to_the_caller(fake_native: FakeNative, tmp_path: Path) -> None:
    (tmp_path / "topology.toml").write_text('[[nodes]]\nname = "n1"\nservices = ["worker"]\n')
    caller = tmp_path / "service.py"
    caller.write_text("from mycelium_native import Runtime\nruntime = Runtime(topology_path='topology.toml', "
                      "service_name='worker')\n")
    namespace: dict[str, object] = {"__file__": str(caller), "__name__": "__main__"}
    exec(compile(caller.read_text(), str(caller), "exec"), namespace)
    assert namespace["runtime"].node_name == "n1"  # type: ignore[attr-defined]


def test_publish_sends_type_id_and_bytes(fake_native: FakeNative) -> None:
    messages = _messages()
    Runtime().publish(messages.Ping(7))
    assert fake_native.published == [(messages.Ping.TYPE_ID, messages.Ping(7).to_bytes())]


def test_subscribe_decodes_payloads_for_the_callback(fake_native: FakeNative) -> None:
    messages = _messages()
    runtime = Runtime()
    received: list[object] = []
    runtime.subscribe(messages.Ping, received.append)
    fake_native.deliver(0, messages.Ping(9).to_bytes())
    assert received == [messages.Ping(9)]


def test_subscribe_asks_for_inline_delivery_only_when_told(fake_native: FakeNative) -> None:
    messages = _messages()
    runtime = Runtime()
    runtime.subscribe(messages.Ping, print)
    runtime.subscribe(messages.Ping, print, inline=True)
    queued_id, inline_id = (subscription_id for _, _, subscription_id in fake_native.subscribed)
    assert fake_native.inline == {inline_id} and queued_id != inline_id


def test_closing_a_subscription_is_idempotent_and_stops_delivery(fake_native: FakeNative) -> None:
    messages = _messages()
    runtime = Runtime()
    received: list[object] = []
    subscription = runtime.subscribe(messages.Ping, received.append)
    subscription.close()
    subscription.close()
    fake_native.deliver(0, messages.Ping(1).to_bytes())
    assert received == []
    assert len(fake_native.unsubscribed) == 1
    assert subscription.closed


def test_closing_the_runtime_closes_its_subscriptions_and_rejects_use(fake_native: FakeNative) -> None:
    messages = _messages()
    runtime = Runtime()
    first = runtime.subscribe(messages.Ping, print)
    second = runtime.subscribe(messages.Blob, print)
    runtime.close()
    runtime.close()
    assert first.closed and second.closed
    assert fake_native.tables[0] == {}
    with pytest.raises(RuntimeError, match="Runtime is closed"):
        runtime.publish(messages.Ping(1))


def test_runtime_outside_the_server_explains_what_to_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "_mycelium", raising=False)
    with pytest.raises(RuntimeError, match="works only inside the Mycelium server"):
        Runtime()


def test_publish_names_what_it_got_when_not_a_message(fake_native: FakeNative) -> None:
    with pytest.raises(TypeError, match="publish\\(\\) takes a generated message .* not int"):
        Runtime().publish(42)  # type: ignore[arg-type]


def test_subscribe_rejects_non_message_classes_and_callbacks(fake_native: FakeNative) -> None:
    messages = _messages()
    runtime = Runtime()
    with pytest.raises(TypeError, match="takes a generated message class"):
        runtime.subscribe(str, print)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callback must be callable, not int"):
        runtime.subscribe(messages.Ping, 3)  # type: ignore[arg-type]
    assert fake_native.subscribed == []


def test_an_open_runtime_publishes_through_the_native_publish_message_until_closed(fake_native: FakeNative) -> None:
    messages = _messages()
    sent: list[object] = []
    fake_native.publish_message = sent.append  # type: ignore[attr-defined]
    runtime = Runtime()
    runtime.publish(messages.Ping(3))
    assert sent == [messages.Ping(3)] and fake_native.published == []
    runtime.close()
    with pytest.raises(RuntimeError, match="Runtime is closed"):
        runtime.publish(messages.Ping(4))
    assert sent == [messages.Ping(3)]
