"""TLS 1.3 on TcpTransport: a session with a TLS node, and each way it is refused, with a reason that says what to
fix. Certificates come from the openssl command (a CA, the node's and the client's, and a second CA)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from mycelium import ConfigurationError, MessageBus, TcpTransport, TlsFailed, TlsOptions, TlsSettings, load_topology
from mycelium.topology import parse_topology

from sdk_fixtures import DIGEST, CounterUpdate, FakeNode, wait_until

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command for certificates")


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _authority(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
             "-subj", f"/CN={name}", "-keyout", "ca.key", "-out", "ca.pem", cwd=folder)
    return folder


def _issue(folder: Path, node: str, days: str = "2") -> None:
    (folder / f"{node}.ext").write_text(f"subjectAltName=DNS:{node}\nbasicConstraints=CA:FALSE\n"
                                        f"extendedKeyUsage=serverAuth,clientAuth\n")
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", f"/CN={node}",
             "-keyout", f"{node}.key", "-out", f"{node}.csr", cwd=folder)
    _openssl("x509", "-req", "-in", f"{node}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", days, "-extfile", f"{node}.ext", "-out", f"{node}.pem", cwd=folder)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _authority(tmp_path_factory.mktemp("tls"), "test CA")
    for node in ("fake-node", "client-node", "other-node"):
        _issue(folder, node)
    foreign = _authority(folder / "foreign", "foreign CA")
    _issue(foreign, "client-node")
    return folder


def _server(pki: Path, node: str = "fake-node") -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(pki / f"{node}.pem", pki / f"{node}.key")
    context.load_verify_locations(pki / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _client(pki: Path, folder: Path | None = None) -> TlsOptions:
    own = folder or pki
    return TlsOptions(ca=pki / "ca.pem", cert=own / "client-node.pem", key=own / "client-node.key")


def test_should_exchange_frames_over_tls13_when_certificates_match(pki: Path) -> None:
    with FakeNode(tls=_server(pki)) as node, TcpTransport(node.host, node.port, DIGEST, tls=_client(pki),
                                                          server_hostname="fake-node") as transport:
        session = node.next_session()
        assert session.kind == "v1"
        assert transport.connection._sock.protocol == "TLSv1.3"  # type: ignore[attr-defined]
        subscriber = transport.subscriber(CounterUpdate)
        session.wait_interest(CounterUpdate.TYPE_ID)
        transport.publisher(CounterUpdate).publish(CounterUpdate(7, 8, 9))
        assert session.next_frame().payload == CounterUpdate(7, 8, 9).to_bytes()
        assert subscriber.recv(timeout=5) == CounterUpdate(7, 8, 9)  # the fake node echoes to its subscribers


def test_should_name_the_node_and_fix_when_server_certificate_names_another_node(pki: Path) -> None:
    with FakeNode(tls=_server(pki, "other-node")) as node:
        with pytest.raises(TlsFailed) as raised:
            TcpTransport(node.host, node.port, DIGEST, tls=_client(pki), server_hostname="fake-node").connect()
    message = str(raised.value)
    assert "TLS with node 'fake-node'" in message and "Hostname mismatch" in message, message
    assert "names node 'fake-node'" in message, message


def test_should_say_the_node_refused_the_client_when_its_certificate_has_another_ca(pki: Path) -> None:
    with FakeNode(tls=_server(pki)) as node:
        with pytest.raises(TlsFailed) as raised:
            TcpTransport(node.host, node.port, DIGEST, tls=_client(pki, pki / "foreign"),
                         server_hostname="fake-node").connect()
        refused = node.next_session()
    assert "does not trust the CA of this client's certificate" in str(raised.value), str(raised.value)
    assert refused.kind.startswith("tls-failed"), refused.kind


def test_should_say_the_node_has_no_tls_when_it_answers_in_plaintext(pki: Path) -> None:
    with FakeNode(mode="raw", raw_reply=b"\x13\x00MYC1 not tls at all") as node:
        with pytest.raises(TlsFailed) as raised:
            TcpTransport(node.host, node.port, DIGEST, tls=_client(pki), server_hostname="fake-node",
                         connect_timeout=0.5).connect()
    assert "may not speak TLS there" in str(raised.value), str(raised.value)


def test_should_require_server_name_when_tls_is_given(pki: Path) -> None:
    with pytest.raises(ValueError, match="server_hostname"):
        TcpTransport("127.0.0.1", 9, DIGEST, tls=_client(pki))


def test_should_name_the_file_when_a_tls_file_is_missing(pki: Path, tmp_path: Path) -> None:
    with FakeNode(tls=_server(pki)) as node:
        with pytest.raises(TlsFailed, match="cannot read the TLS CA certificate"):
            TcpTransport(node.host, node.port, DIGEST, tls=TlsOptions(ca=tmp_path / "none.pem", cert="x", key="y"),
                         server_hostname="fake-node").connect()


def test_should_use_the_services_node_certificate_when_topology_has_tls(pki: Path, tmp_path: Path) -> None:
    with FakeNode(tls=_server(pki), name="fake-node") as node:
        topology = tmp_path / "topology.toml"
        topology.write_text("\n".join([
            "[tls]", f'ca = "{pki.name}/ca.pem"',
            "[[nodes]]", 'name = "client-node"', 'services = ["py-service"]', 'host = "127.0.0.5"', "port = 9",
            "[[nodes]]", 'name = "fake-node"', 'services = ["target"]', 'host = "127.0.0.1"', f"port = {node.port}",
            ""]))
        assert load_topology(topology).tls is not None
        with MessageBus.from_topology(topology, "py-service", DIGEST, tls_home=pki.parent) as bus:
            transport = bus.transport_to("target")
            assert transport.connection._sock.protocol == "TLSv1.3"  # type: ignore[attr-defined]
            session = node.next_session()
            assert session.kind == "v1" and session.hello is not None and session.hello.name == "py-service"
            wait_until(lambda: transport.connected, what="connected")


def test_should_read_tls_table_with_defaults_and_name_bad_values() -> None:
    nodes = [{"name": "a", "services": []}]
    assert parse_topology({"tls": {"ca": "etc/tls/ca.pem"}, "nodes": nodes}).tls == TlsSettings(
        "etc/tls/ca.pem", "etc/tls", "loopback", "loopback")
    with pytest.raises(ConfigurationError) as raised:
        parse_topology({"tls": {"dir": "x", "plaintext_peers": "sometimes", "cert": "y"}, "nodes": nodes}, "t.toml")
    message = str(raised.value)
    assert "t.toml: [tls] has unknown key 'cert'" in message, message
    assert "t.toml: [tls] has ca None. Fix: add ca = " in message, message
