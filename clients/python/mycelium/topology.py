"""topology.toml for Python clients: parsing, validation and the routing rule (docs/topology.md).

The format is the original Mycelium's plus ``endpoint.kind = "shm"``; the rules and messages follow the Java
topology bundle (without line numbers: ``tomllib`` does not report them). Pure functions, no I/O but the read.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Final, Literal

from mycelium.errors import ConfigurationError

__all__ = ["DEFAULT_SOCKET_DIR", "Endpoint", "Node", "Route", "TlsSettings", "Topology", "load_topology",
           "parse_topology"]

DEFAULT_SOCKET_DIR: Final = "/tmp/mycelium"
DEFAULT_SHM_DIR: Final = "/dev/shm/mycelium"
"""Where a node's shm control socket is when its endpoint names no path: ``/dev/shm/mycelium/<node>.shm``."""
_NAME: Final = re.compile(r"[A-Za-z0-9._-]+")
_TOP_KEYS: Final = frozenset({"socket_dir", "nodes", "tls"})
_TLS_KEYS: Final = frozenset({"ca", "dir", "plaintext_peers", "legacy_clients"})
_POLICIES: Final = ("loopback", "always", "never")
_NODE_KEYS: Final = frozenset({"name", "services", "host", "port", "endpoint", "record"})
_RECORD_KEYS: Final = frozenset({"types", "retention"})
# A retention: a size (B, KiB, MiB, GiB, TiB), an age (s, m, h, d), or one of each after a comma (as in Java).
_RETENTION: Final = re.compile(
    r"\s*[1-9][0-9]*\s*(B|KiB|MiB|GiB|TiB|s|m|h|d)\s*(,\s*[1-9][0-9]*\s*(B|KiB|MiB|GiB|TiB|s|m|h|d)\s*)?")
_ENDPOINT_KEYS: Final = {"unix": frozenset({"kind", "path"}), "tcp": frozenset({"kind", "addr"}),
                         "shm": frozenset({"kind", "path"}), "aeron": frozenset({"kind", "channel", "fanout"})}
# An Aeron UDP channel with its endpoint, as the Java topology parser accepts it.
_AERON_CHANNEL: Final = re.compile(
    r"aeron:udp\?(?:[^|]*\|)*endpoint=(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})(?:\|.*)?")


@dataclass(frozen=True)
class Endpoint:
    """A node's declared endpoint: ``kind`` unix/tcp/shm/aeron, ``addr`` (tcp ``ip:port``), ``path`` (unix/shm) or
    ``channel`` (aeron: the Aeron channel the node subscribes on; None for the default at host:port)."""

    kind: str
    addr: str | None = None
    path: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Recording:
    """A node's ``record``: the types its Aeron archive records and the retention as written ("" keeps all)."""

    types: tuple[str, ...]
    retention: str = ""


@dataclass(frozen=True)
class Node:
    """One process hosting services; ``host`` None means this host."""

    name: str
    services: tuple[str, ...]
    host: str | None = None
    port: int | None = None
    endpoint: Endpoint | None = None
    record: Recording | None = None


@dataclass(frozen=True)
class TlsSettings:
    """The ``[tls]`` table: TLS 1.3 on every TCP link. ``ca`` is the CA certificate; node ``n``'s certificate and key
    are ``dir/n.pem`` and ``dir/n.key`` (``dir`` defaults to the CA's folder); the policies are the node's."""

    ca: str
    dir: str
    plaintext_peers: str = "loopback"
    legacy_clients: str = "loopback"

    def certificate(self, node: str) -> str:
        """``dir/<node>.pem``."""
        return os.path.join(self.dir, f"{node}.pem")

    def key(self, node: str) -> str:
        """``dir/<node>.key``."""
        return os.path.join(self.dir, f"{node}.key")


@dataclass(frozen=True)
class Route:
    """How a client reaches node ``node``: ``kind`` "unix" or "shm" with ``path`` (the socket; for shm the control
    socket), or "tcp" with ``host`` and ``port``."""

    node: str
    kind: Literal["unix", "tcp", "shm"]
    path: str | None = None
    host: str | None = None
    port: int | None = None

    def describe(self) -> str:
        """``unix /path``, ``shm /path`` or ``tcp host:port``."""
        return f"tcp {self.host}:{self.port}" if self.kind == "tcp" else f"{self.kind} {self.path}"


def is_this_host(host: str | None) -> bool:
    """Whether ``host`` means this machine: absent, ``localhost``, ``127.0.0.1`` or ``::1``.

    Other loopback addresses (``127.0.0.2``, ...) stand for other, simulated hosts, as in the Java topology bundle.
    """
    if host is None or host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))


def same_host(left: Node, right: Node) -> bool:
    """The topology's "same host" test: host fields equal ignoring case, every local spelling being equal."""
    if is_this_host(left.host) or is_this_host(right.host):
        return is_this_host(left.host) and is_this_host(right.host)
    return (left.host or "").lower() == (right.host or "").lower()


def parse_ip_port(text: str) -> tuple[str, int]:
    """Split an ``ip:port`` literal (``[v6]:port`` for IPv6); raise ValueError naming what is wrong."""
    match = re.fullmatch(r"\[([^\]]+)\]:(\d+)|([^:\[\]]+):(\d+)", text)
    if match is None:
        raise ValueError("expected ip:port, e.g. \"127.0.0.1:9091\" or \"[::1]:9091\"")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    ipaddress.ip_address(host)  # raises ValueError for host names: they are not resolved
    if not 0 <= port <= 0xFFFF:
        raise ValueError(f"port {port} is outside 0..65535")
    return host, port


@dataclass(frozen=True)
class Topology:
    """A validated topology.toml: where each node is and how to reach it."""

    source: str
    socket_dir: str
    nodes: tuple[Node, ...]
    tls: TlsSettings | None = None

    def node(self, name: str) -> Node:
        """The node called ``name``; ConfigurationError listing the known nodes otherwise."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise ConfigurationError(f"{self.source}: node '{name}' not found (known: "
                                 f"{', '.join(n.name for n in self.nodes) or 'none'})")

    def node_of(self, service: str) -> Node:
        """The node hosting ``service``; ConfigurationError listing the known services otherwise."""
        for node in self.nodes:
            if service in node.services:
                return node
        known = sorted(s for n in self.nodes for s in n.services)
        raise ConfigurationError(f"{self.source}: service '{service}' is not placed on any node (known services: "
                                 f"{', '.join(known) or 'none'}). Fix: add it to the services of a node")

    def unix_path(self, node: Node) -> str:
        """The node's Unix socket: its ``endpoint.path`` for a unix endpoint, else ``socket_dir/<node>.sock``."""
        if node.endpoint is not None and node.endpoint.kind == "unix" and node.endpoint.path is not None:
            return node.endpoint.path
        return os.path.join(self.socket_dir, f"{node.name}.sock")

    @staticmethod
    def shm_path(node: Node) -> str:
        """The control socket of a node's shm endpoint: its ``endpoint.path``, else ``/dev/shm/mycelium/<node>.shm``."""
        if node.endpoint is not None and node.endpoint.path is not None:
            return node.endpoint.path
        return os.path.join(DEFAULT_SHM_DIR, f"{node.name}.shm")

    def route(self, source: Node, target: Node) -> Route:
        """How a client running on ``source``'s host reaches ``target`` (docs/python-sdk.md, "Routing").

        Same host: the Unix socket (``endpoint.path`` of a unix endpoint, else ``socket_dir/<node>.sock``), except
        for a node that declares a tcp endpoint, which is dialled there (a declared endpoint is always listened
        on; a wildcard address becomes loopback), and a node that declares an shm endpoint, reached over shared
        memory through its control socket (``endpoint.path``, else ``/dev/shm/mycelium/<node>.shm``). Another host:
        TCP at ``host:port``, else its tcp ``endpoint.addr``. Raises ConfigurationError for a target linked over Aeron (either node
        declares ``endpoint.kind = "aeron"``: this client cannot speak Aeron) and for a remote target without a
        TCP address.
        """
        endpoint = target.endpoint
        for node in (target, source):
            if node.endpoint is not None and node.endpoint.kind == "aeron":
                raise ConfigurationError(
                    f"{self.source}: node '{node.name}' declares endpoint.kind = \"aeron\", so node "
                    f"'{target.name}' is reached over Aeron, which this Python client cannot speak. Fix: run the "
                    f"Python service inside a node (drop the .py file into its deploy/ folder: it reaches Aeron peers "
                    f"through the node's bus), or give node '{target.name}' a unix or tcp endpoint")
        if same_host(source, target):
            if endpoint is not None and endpoint.kind == "shm":
                return Route(target.name, "shm", path=self.shm_path(target))
            if endpoint is not None and endpoint.kind == "tcp":
                return self._tcp_route(target, endpoint)
            return Route(target.name, "unix", path=self.unix_path(target))
        if target.host is not None and target.port is not None:
            return Route(target.name, "tcp", host=target.host, port=target.port)
        if endpoint is not None and endpoint.kind == "tcp" and endpoint.addr is not None:
            return self._tcp_route(target, endpoint)
        raise ConfigurationError(
            f"{self.source}: node '{target.name}' is on another host than node '{source.name}' but has no TCP "
            f"address. Fix: give node '{target.name}' host and port (or endpoint = {{ kind = \"tcp\", addr = "
            f"\"ip:port\" }})")

    @staticmethod
    def _tcp_route(target: Node, endpoint: Endpoint) -> Route:
        if endpoint.addr is not None:
            host, port = parse_ip_port(endpoint.addr)
            return Route(target.name, "tcp", host=_dialable(host), port=port)
        # Validation guarantees a port when a tcp endpoint has no addr.
        return Route(target.name, "tcp", host=_dialable(target.host or "127.0.0.1"), port=target.port)


def _dialable(host: str) -> str:
    """Map a wildcard listen address to the loopback one a client can dial (host names pass unchanged)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    if address.is_unspecified:
        return "::1" if address.version == 6 else "127.0.0.1"
    return host


def load_topology(path: str | os.PathLike[str]) -> Topology:
    """Read and validate the topology file at ``path``; ConfigurationError listing every problem found."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise ConfigurationError(f"cannot read topology file {os.path.abspath(name)}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{name}: invalid TOML: {error}") from error
    return parse_topology(data, name)


def parse_topology(data: dict[str, Any], source: str = "topology.toml") -> Topology:
    """Validate parsed TOML ``data``; ``source`` names the file in messages."""
    problems: list[str] = []
    if "deployment" in data or "bundles" in data:
        problems.append("the legacy [deployment]/[[bundles]] format is not supported. Fix: describe each process "
                        "as a [[nodes]] entry with name and services")
    for key in sorted(set(data) - _TOP_KEYS - {"deployment", "bundles"}):
        problems.append(f"unknown key '{key}'. Fix: use only socket_dir, [tls] and [[nodes]]")
    socket_dir = data.get("socket_dir", DEFAULT_SOCKET_DIR)
    if not isinstance(socket_dir, str) or not socket_dir:
        problems.append(f"socket_dir must be a non-empty string but is {socket_dir!r}")
        socket_dir = DEFAULT_SOCKET_DIR
    raw_nodes = data.get("nodes", [])
    if not isinstance(raw_nodes, list):
        problems.append("nodes must be an array of tables ([[nodes]])")
        raw_nodes = []
    nodes: list[Node] = []
    node_names: set[str] = set()
    service_homes: dict[str, str] = {}
    for index, raw in enumerate(raw_nodes):
        node = _parse_node(raw, index, problems)
        if node is None:
            continue
        if node.name in node_names:
            problems.append(f"node '{node.name}' is defined twice. Fix: give every [[nodes]] entry a unique name")
        node_names.add(node.name)
        for service in node.services:
            home = service_homes.get(service)
            if home is not None:
                where = "twice on node" if home == node.name else f"on node '{node.name}' and on node"
                problems.append(f"service '{service}' is placed {where} '{home}'. Fix: list each service in the "
                                f"services of exactly one node")
            service_homes.setdefault(service, node.name)
        nodes.append(node)
    tls = _parse_tls(data.get("tls"), problems)
    if problems:
        raise ConfigurationError("\n".join(f"{source}: {problem}" for problem in problems))
    return Topology(source, socket_dir, tuple(nodes), tls)


def _parse_tls(raw: object, problems: list[str]) -> TlsSettings | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append("tls must be a table. Fix: write a [tls] section with ca = \"etc/tls/ca.pem\"")
        return None
    for key in sorted(set(raw) - _TLS_KEYS):
        problems.append(f"[tls] has unknown key '{key}'. Fix: use only ca, dir, plaintext_peers and legacy_clients")
    ca = raw.get("ca")
    if not isinstance(ca, str) or not ca:
        problems.append(f"[tls] has ca {ca!r}. Fix: add ca = \"etc/tls/ca.pem\" (the CA certificate that "
                        f"bin/mycelium certs --topology FILE --out etc/tls writes)")
        return None
    folder = raw.get("dir", os.path.dirname(ca))
    if not isinstance(folder, str):
        problems.append(f"[tls] has dir {folder!r}; it must be a string")
        folder = os.path.dirname(ca)
    policies = []
    for key in ("plaintext_peers", "legacy_clients"):
        value = raw.get(key, "loopback")
        if value not in _POLICIES:
            problems.append(f"[tls] {key} is {value!r}. Fix: write \"loopback\" (the default), \"always\" or "
                            f"\"never\"")
            value = "loopback"
        policies.append(value)
    return TlsSettings(ca, folder, policies[0], policies[1])


def _parse_node(raw: object, index: int, problems: list[str]) -> Node | None:
    if not isinstance(raw, dict):
        problems.append(f"nodes[{index}] must be a table")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(f"nodes[{index}] has name {name!r}. Fix: set name = \"...\" using letters, digits, '.', '_' "
                        f"and '-'")
        return None
    label = f"node '{name}'"
    for key in sorted(set(raw) - _NODE_KEYS):
        problems.append(f"{label} has unknown key '{key}'. Fix: use only name, services, host, port, endpoint, "
                        f"record")
    services = raw.get("services")
    if not isinstance(services, list) or not all(isinstance(s, str) and _NAME.fullmatch(s) for s in services):
        problems.append(f"{label} has services {services!r}. Fix: set services = [\"name\", ...] using letters, "
                        f"digits, '.', '_' and '-'")
        services = []
    host = raw.get("host")
    if host is not None and (not isinstance(host, str) or not host):
        problems.append(f"{label} has host {host!r}; it must be a non-empty string")
        host = None
    port = raw.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 0xFFFF):
        problems.append(f"{label} has port {port!r}. Fix: use a port in 1-65535")
        port = None
    if host is not None and not is_this_host(host) and port is None:
        problems.append(f"{label} has remote host '{host}' but no port. Fix: add port = <1-65535> to {label} so "
                        f"other hosts can reach it")
    endpoint = _parse_endpoint(raw.get("endpoint"), label, port, problems)
    record = _parse_record(raw.get("record"), label, endpoint, problems)
    return Node(name, tuple(services), host, port, endpoint, record)


def _parse_record(raw: object, label: str, endpoint: Endpoint | None, problems: list[str]) -> Recording | None:
    """``record = ["Type"]`` or ``record = { types = [...], retention = "24h, 2GiB" }``, as the Java parser."""
    if raw is None:
        return None
    before = len(problems)
    types = raw
    retention = ""
    if isinstance(raw, dict):
        for key in sorted(set(raw) - _RECORD_KEYS):
            problems.append(f"{label} record has unknown key '{key}'. Fix: use only record.types and "
                            f"record.retention")
        types = raw.get("types")
        value = raw.get("retention", "")
        if not isinstance(value, str) or (value and not _RETENTION.fullmatch(value)):
            problems.append(f"{label} has record.retention {value!r}. Fix: write a size, an age or one of each, "
                            f"such as \"2GiB\", \"24h\" or \"24h, 2GiB\"")
        elif isinstance(value, str):
            retention = value
    names: list[str] = []
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        problems.append(f"{label} record must list the recorded types' names. Fix: write record = "
                        f"[\"MarketData\"] or record = {{ types = [\"MarketData\"], retention = \"24h\" }}")
    else:
        for name in types:
            if not _NAME.fullmatch(name):
                problems.append(f"{label} record type '{name}' has an invalid name")
            elif name in names:
                problems.append(f"{label} records type '{name}' twice. Fix: list it once")
            else:
                names.append(name)
    if endpoint is None or endpoint.kind != "aeron":
        problems.append(f"{label} records types but does not declare an Aeron endpoint (recording is done by the "
                        f"Aeron archive). Fix: add endpoint = {{ kind = \"aeron\" }} and port, or remove record")
    return Recording(tuple(names), retention) if len(problems) == before else None


def _parse_endpoint(raw: object, label: str, port: int | None, problems: list[str]) -> Endpoint | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{label} has endpoint {raw!r}; it must be a table such as {{ kind = \"unix\" }}")
        return None
    kind = raw.get("kind")
    if kind not in _ENDPOINT_KEYS:
        problems.append(f"{label} has unknown endpoint.kind {kind!r}. Fix: use one of \"unix\", \"tcp\", \"shm\", "
                        f"\"aeron\" (lower case)")
        return None
    for key in sorted(set(raw) - _ENDPOINT_KEYS[kind]):
        problems.append(f"{label} has endpoint.{key}, which a {kind} endpoint does not take. Fix: remove it")
    addr = raw.get("addr")
    path = raw.get("path")
    if kind == "aeron":
        fanout = raw.get("fanout")
        if fanout is not None and fanout != "mdc":
            problems.append(f"{label} has endpoint.fanout {fanout!r}. Fix: write \"mdc\" (one multi-destination-cast "
                            f"publication to all peers) or remove it; multicast channels are not supported")
        return _parse_aeron_endpoint(raw.get("channel"), label, port, problems)
    if kind == "tcp":
        if addr is None:
            if port is None:
                problems.append(f"{label} has a tcp endpoint without addr or port. Fix: add endpoint.addr = "
                                f"\"ip:port\" or port = <1-65535>")
        elif not isinstance(addr, str):
            problems.append(f"{label} has endpoint.addr {addr!r}; it must be a string \"ip:port\"")
            addr = None
        else:
            try:
                parse_ip_port(addr)
            except ValueError as error:
                problems.append(f"{label} has bad endpoint.addr '{addr}' ({error}). Fix: write an ip:port literal "
                                f"such as \"127.0.0.1:9091\" (host names are not resolved)")
                addr = None
        return Endpoint(kind, addr=addr if isinstance(addr, str) else None)
    if path is not None and (not isinstance(path, str) or not os.path.isabs(path)):
        problems.append(f"{label} has endpoint.path {path!r}. Fix: use an absolute path")
        path = None
    return Endpoint(kind, path=path if isinstance(path, str) else None)


def _parse_aeron_endpoint(channel: object, label: str, port: int | None, problems: list[str]) -> Endpoint:
    if channel is None:
        if port is None:
            problems.append(f"{label} has an aeron endpoint without channel or port. Fix: add endpoint.channel = "
                            f"\"aeron:udp?endpoint=ip:port\" or port = <1-65535>")
        return Endpoint("aeron")
    match = _AERON_CHANNEL.fullmatch(channel) if isinstance(channel, str) else None
    if match is None or not 1 <= int(match.group(1)) <= 65535:
        problems.append(f"{label} has bad endpoint.channel {channel!r}. Fix: write an Aeron UDP channel with its "
                        f"endpoint, such as \"aeron:udp?endpoint=127.0.0.2:40456\" (port 1-65535)")
        return Endpoint("aeron")
    return Endpoint("aeron", channel=channel)
