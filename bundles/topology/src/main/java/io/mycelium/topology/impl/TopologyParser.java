package io.mycelium.topology.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import io.mycelium.api.ConfigurationException;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Recording;
import io.mycelium.topology.TlsSettings;
import io.mycelium.topology.Topology;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code topology.toml} in the original Mycelium format, plus {@code endpoint.kind = "shm"} and
 * {@code endpoint.kind = "aeron"} (with an optional {@code endpoint.channel}), into a validated
 * {@link Topology}. Every problem is reported as {@code file:line: what. Fix: how}, naming the node and service.
 * Stateless and safe for any thread.
 *
 * <p>Defaults: {@code socket_dir} is {@value Topology#DEFAULT_SOCKET_DIR}; a Unix endpoint's path is
 * {@code socket_dir/<node>.sock}; a TCP endpoint without {@code addr} binds {@code <host or 127.0.0.1>:<port>}; a
 * shm endpoint without {@code path} uses {@code /dev/shm/mycelium/<node>.shm}; an Aeron endpoint without
 * {@code channel} subscribes on {@code aeron:udp?endpoint=<host or 127.0.0.1>:<port>}.
 */
public final class TopologyParser {

    /** Names allowed for nodes and services: they become file names and LDAP filter values. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit";
    private static final Set<String> TOP_KEYS = Set.of("socket_dir", "nodes", "tls");
    private static final Set<String> TLS_KEYS = Set.of("ca", "dir", "plaintext_peers", "legacy_clients");
    private static final Set<String> POLICIES = Set.of("loopback", "always", "never");
    private static final Set<String> LEGACY_KEYS = Set.of("deployment", "bundles", "inter_bundle");
    private static final Set<String> NODE_KEYS = Set.of("name", "services", "host", "port", "endpoint", "record");
    private static final Set<String> RECORD_KEYS = Set.of("types", "retention");
    /** A retention: a size (B, KiB, MiB, GiB, TiB), an age (s, m, h, d), or one of each after a comma. */
    private static final Pattern RETENTION = Pattern.compile(
            "\\s*[1-9][0-9]*\\s*(B|KiB|MiB|GiB|TiB|s|m|h|d)\\s*(,\\s*[1-9][0-9]*\\s*(B|KiB|MiB|GiB|TiB|s|m|h|d)\\s*)?");
    /** The one {@code endpoint.fanout} there is: a multi-destination-cast publication to every Aeron peer. */
    private static final String FANOUT_MDC = "mdc";
    private static final Set<String> ENDPOINT_KEYS = Set.of("kind", "addr", "path", "insecure_bind", "channel",
            "fanout");
    /** An Aeron UDP channel with its endpoint: {@code aeron:udp?...endpoint=host:port...}. */
    private static final Pattern AERON_CHANNEL = Pattern.compile(
            "aeron:udp\\?(?:[^|]*\\|)*endpoint=(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})(?:\\|.*)?");
    private static final String SHM_DIR = "/dev/shm/mycelium/";

    /**
     * Reads and parses a file.
     *
     * @param file the file
     * @return the topology, with {@code file} as its source
     * @throws ConfigurationException if the file cannot be read or is invalid
     */
    public Topology parse(final Path file) {
        return parse(file.toString(), read(file));
    }

    /**
     * @param file a topology file
     * @return its text (UTF-8)
     * @throws ConfigurationException naming the file when it cannot be read
     */
    static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read the topology file (" + e + "). Fix: check that "
                    + "the file (--topology, mycelium.topology or deploy/topology.toml) exists and is readable", e);
        }
    }

    /**
     * Parses topology text.
     *
     * @param source the file name for messages and {@link Topology#source()}
     * @param text   the TOML text
     * @return the validated topology
     * @throws ConfigurationException naming every problem with {@code source:line}
     */
    public Topology parse(final String source, final String text) {
        final TomlParseResult toml = Toml.parse(text);
        final TopologyErrors errors = new TopologyErrors(source);
        for (TomlParseError e : toml.errors()) {
            errors.add(e.position(), "invalid TOML: " + e.getMessage(),
                    "correct the TOML syntax (https://toml.io); keys may be written once per table");
        }
        errors.throwIfAny();

        for (String key : toml.keySet()) {
            if (LEGACY_KEYS.contains(key)) {
                errors.add(toml.inputPositionOf(List.of(key)), "'" + key + "' belongs to the legacy format that "
                        + "Mycelium no longer reads", "describe each process as a [[nodes]] entry with name and "
                        + "services (see docs/topology.md)");
            } else if (!TOP_KEYS.contains(key)) {
                errors.add(toml.inputPositionOf(List.of(key)), "unknown top-level key '" + key + "'",
                        "use only socket_dir, [tls] and [[nodes]]");
            }
        }
        final String socketDir = string(toml, "socket_dir", "socket_dir", errors)
                .orElse(Topology.DEFAULT_SOCKET_DIR);
        final List<Node> nodes = nodes(toml, socketDir, errors);
        final Optional<TlsSettings> tls = tls(toml, errors);
        errors.throwIfAny();
        return new Topology(source, socketDir, nodes, tls);
    }

    /**
     * Finds where each node declares its endpoint kind, for messages about a valid topology (the model keeps no
     * positions).
     *
     * @param text the text of a topology that {@link #parse(String, String)} accepted
     * @return node name to the line of its {@code endpoint.kind} (of {@code endpoint} when the kind is implicit);
     *         nodes without an endpoint are absent
     */
    static Map<String, Integer> endpointLines(final String text) {
        final Map<String, Integer> lines = new HashMap<>();
        final TomlParseResult toml = Toml.parse(text);
        if (!(toml.get(List.of("nodes")) instanceof TomlArray array)) {
            return lines;
        }
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable node) || !(node.get(List.of("name")) instanceof String name)) {
                continue;
            }
            if (node.get(List.of("endpoint")) instanceof TomlTable endpoint) {
                final TomlPosition at = endpoint.contains("kind") ? endpoint.inputPositionOf(List.of("kind"))
                        : node.inputPositionOf(List.of("endpoint"));
                if (at != null) {
                    lines.put(name, at.line());
                }
            }
        }
        return lines;
    }

    /**
     * Reads {@code [tls]}: {@code ca} (required), {@code dir} (default: the CA's folder), {@code plaintext_peers}
     * and {@code legacy_clients} (default {@code loopback}).
     */
    private Optional<TlsSettings> tls(final TomlTable toml, final TopologyErrors errors) {
        final Object value = toml.get(List.of("tls"));
        if (value == null) {
            return Optional.empty();
        }
        final TomlPosition at = toml.inputPositionOf(List.of("tls"));
        if (!(value instanceof TomlTable table)) {
            errors.add(at, "'tls' must be a table", "write a [tls] section with ca = \"etc/tls/ca.pem\"");
            return Optional.empty();
        }
        final int before = errors.size();
        for (String key : table.keySet()) {
            if (!TLS_KEYS.contains(key)) {
                errors.add(table.inputPositionOf(List.of(key)), "[tls] has unknown key '" + key + "'",
                        "use only ca, dir, plaintext_peers and legacy_clients");
            }
        }
        final Optional<String> ca = string(table, "ca", "[tls] ca", errors);
        if (ca.isEmpty() && table.get(List.of("ca")) == null) {
            errors.add(at, "[tls] has no ca", "add ca = \"etc/tls/ca.pem\" (the CA certificate that bin/mycelium "
                    + "certs --topology FILE --out etc/tls writes)");
        }
        final Optional<String> dir = string(table, "dir", "[tls] dir", errors);
        final String plaintext = policy(table, "plaintext_peers", errors);
        final String legacy = policy(table, "legacy_clients", errors);
        if (errors.size() != before || ca.isEmpty()) {
            return Optional.empty();
        }
        final int slash = ca.get().lastIndexOf('/');
        final String folder = dir.orElse(slash < 0 ? "" : ca.get().substring(0, slash));
        return Optional.of(new TlsSettings(ca.get(), folder, plaintext, legacy));
    }

    private static String policy(final TomlTable table, final String key, final TopologyErrors errors) {
        final Optional<String> value = string(table, key, "[tls] " + key, errors);
        if (value.isPresent() && !POLICIES.contains(value.get())) {
            errors.add(table.inputPositionOf(List.of(key)), "[tls] " + key + " is '" + value.get() + "'",
                    "write \"loopback\" (the default), \"always\" or \"never\"");
        }
        return value.orElse(TlsSettings.LOOPBACK);
    }

    private List<Node> nodes(final TomlTable toml, final String socketDir, final TopologyErrors errors) {
        final Object value = toml.get(List.of("nodes"));
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array) || !array.toList().stream().allMatch(TomlTable.class::isInstance)) {
            errors.add(toml.inputPositionOf(List.of("nodes")), "'nodes' must be a list of tables",
                    "write each node as a [[nodes]] section");
            return List.of();
        }
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Integer> nodeLines = new HashMap<>();
        final Map<String, String> serviceNodes = new HashMap<>();
        final Map<String, Integer> serviceLines = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            final TomlTable table = array.getTable(i);
            final TomlPosition position = array.inputPositionOf(i);
            final Optional<Node> node = node(table, position, i + 1, socketDir, errors);
            if (node.isEmpty()) {
                continue;
            }
            final Node n = node.get();
            final Integer first = nodeLines.putIfAbsent(n.name(), position.line());
            if (first != null) {
                errors.add(position, "node '" + n.name() + "' is defined twice (first at line " + first + ")",
                        "give every [[nodes]] entry a unique name");
                continue;
            }
            final TomlPosition servicesAt = table.inputPositionOf(List.of("services"));
            for (String service : n.services()) {
                final String other = serviceNodes.putIfAbsent(service, n.name());
                if (other != null) {
                    errors.add(servicesAt, "service '" + service + "' is placed on node '" + n.name()
                            + "' and on node '" + other + "' (line " + serviceLines.get(service) + ")",
                            "list each service in the services of exactly one node");
                } else {
                    serviceLines.put(service, servicesAt.line());
                }
            }
            nodes.add(n);
        }
        return nodes;
    }

    private Optional<Node> node(final TomlTable table, final TomlPosition at, final int index, final String socketDir,
                                final TopologyErrors errors) {
        final int before = errors.size();
        final Optional<String> rawName = string(table, "name", "node #" + index + " name", errors);
        if (rawName.isEmpty()) {
            if (table.get(List.of("name")) == null) {
                errors.add(at, "node #" + index + " has no name", "add name = \"...\" to this [[nodes]] entry");
            }
            return Optional.empty();
        }
        final String name = rawName.get();
        final String label = "node '" + name + "'";
        if (!NAME.matcher(name).matches()) {
            errors.add(table.inputPositionOf(List.of("name")), label + " has an invalid name",
                    "use " + NAME_RULE);
        }
        for (String key : table.keySet()) {
            if (!NODE_KEYS.contains(key)) {
                errors.add(table.inputPositionOf(List.of(key)), label + " has unknown key '" + key + "'",
                        "use only name, services, host, port, endpoint and record");
            }
        }
        final List<String> services = services(table, at, label, errors);
        final Optional<String> host = string(table, "host", label + " host", errors);
        host.filter(h -> !Addresses.isHost(h)).ifPresent(h -> errors.add(table.inputPositionOf(List.of("host")),
                label + " has invalid host '" + h + "'", "write an IP address or a host name"));
        final OptionalInt port = port(table, label, errors);
        if (host.isPresent() && !Node.isThisHost(host) && port.isEmpty()) {
            errors.add(table.inputPositionOf(List.of("host")), label + " has remote host '" + host.get()
                    + "' but no port", "add port = <1-65535> to " + label + " so other hosts can reach it");
        }
        final Optional<Endpoint> endpoint = endpoint(table, name, label, host, port, socketDir, errors);
        final Optional<Recording> record = record(table, label, endpoint, errors);
        if (errors.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Node(name, services, host, port, endpoint, record));
    }

    /**
     * Reads {@code record = ["Type", ...]} or {@code record = { types = [...], retention = "24h, 2GiB" }}: the types
     * this node's Aeron archive records, which needs the node's own {@code endpoint.kind = "aeron"}.
     */
    private Optional<Recording> record(final TomlTable node, final String label, final Optional<Endpoint> endpoint,
                                       final TopologyErrors errors) {
        final Object value = node.get(List.of("record"));
        if (value == null) {
            return Optional.empty();
        }
        final TomlPosition at = node.inputPositionOf(List.of("record"));
        final int before = errors.size();
        Object types = value;
        TomlPosition typesAt = at;
        String retention = "";
        if (value instanceof TomlTable table) {
            for (String key : table.keySet()) {
                if (!RECORD_KEYS.contains(key)) {
                    errors.add(table.inputPositionOf(List.of(key)), label + " record has unknown key '" + key + "'",
                            "use only record.types and record.retention");
                }
            }
            types = table.get(List.of("types"));
            typesAt = types == null ? at : table.inputPositionOf(List.of("types"));
            final Optional<String> r = string(table, "retention", label + " record.retention", errors);
            if (r.isPresent() && !RETENTION.matcher(r.get()).matches()) {
                errors.add(table.inputPositionOf(List.of("retention")), label + " has record.retention '" + r.get()
                        + "'", "write a size, an age or one of each, such as \"2GiB\", \"24h\" or \"24h, 2GiB\""
                        + " (sizes in B/KiB/MiB/GiB/TiB, ages in s/m/h/d, above 0)");
            }
            retention = r.orElse("");
        }
        final List<String> names = new ArrayList<>();
        if (!(types instanceof TomlArray array) || array.isEmpty()
                || !array.toList().stream().allMatch(String.class::isInstance)) {
            errors.add(typesAt, label + " record must list the recorded types' names",
                    "write record = [\"MarketData\"] or record = { types = [\"MarketData\"], retention = \"24h\" }");
        } else {
            for (Object o : array.toList()) {
                final String type = (String) o;
                if (!NAME.matcher(type).matches()) {
                    errors.add(typesAt, label + " record type '" + type + "' has an invalid name", "use " + NAME_RULE);
                } else if (names.contains(type)) {
                    errors.add(typesAt, label + " records type '" + type + "' twice", "list it once");
                } else {
                    names.add(type);
                }
            }
        }
        if (endpoint.map(Endpoint::kind).filter(k -> k == Endpoint.Kind.AERON).isEmpty()) {
            errors.add(at, label + " records types but does not declare an Aeron endpoint (recording is done by"
                    + " the Aeron archive)", "add endpoint = { kind = \"aeron\" } and port to " + label
                    + ", or remove record");
        }
        return errors.size() != before ? Optional.empty() : Optional.of(new Recording(names, retention));
    }

    private List<String> services(final TomlTable table, final TomlPosition at, final String label,
                                  final TopologyErrors errors) {
        final Object value = table.get(List.of("services"));
        final TomlPosition position = table.inputPositionOf(List.of("services"));
        if (value == null) {
            errors.add(at, label + " has no services", "add services = [\"...\"] (an empty list is allowed)");
            return List.of();
        }
        if (!(value instanceof TomlArray array) || !array.toList().stream().allMatch(String.class::isInstance)) {
            errors.add(position, label + " services must be a list of strings",
                    "write services = [\"service-a\", \"service-b\"]");
            return List.of();
        }
        final Set<String> services = new LinkedHashSet<>();
        for (Object o : array.toList()) {
            final String service = (String) o;
            if (!NAME.matcher(service).matches()) {
                errors.add(position, label + " service '" + service + "' has an invalid name", "use " + NAME_RULE);
            } else if (!services.add(service)) {
                errors.add(position, label + " lists service '" + service + "' twice", "list it once");
            }
        }
        return List.copyOf(services);
    }

    private OptionalInt port(final TomlTable table, final String label, final TopologyErrors errors) {
        final Object value = table.get(List.of("port"));
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof Long port) || port < 1 || port > Addresses.MAX_PORT) {
            errors.add(table.inputPositionOf(List.of("port")), label + " has invalid port " + value,
                    "write port as an integer from 1 to 65535, without quotes");
            return OptionalInt.empty();
        }
        return OptionalInt.of(port.intValue());
    }

    private Optional<Endpoint> endpoint(final TomlTable node, final String name, final String label,
                                        final Optional<String> host, final OptionalInt port, final String socketDir,
                                        final TopologyErrors errors) {
        final Object value = node.get(List.of("endpoint"));
        if (value == null) {
            return Optional.empty();
        }
        final TomlPosition at = node.inputPositionOf(List.of("endpoint"));
        if (!(value instanceof TomlTable table)) {
            errors.add(at, label + " endpoint must be a table",
                    "write endpoint = { kind = \"unix\" } or endpoint.kind = \"unix\"");
            return Optional.empty();
        }
        for (String key : table.keySet()) {
            if (!ENDPOINT_KEYS.contains(key)) {
                errors.add(table.inputPositionOf(List.of(key)), label + " endpoint has unknown key '" + key + "'",
                        "use only endpoint.kind, endpoint.addr and endpoint.insecure_bind (tcp), endpoint.path "
                        + "(unix, shm), endpoint.channel and endpoint.fanout (aeron)");
            }
        }
        final Optional<String> kindName = string(table, "kind", label + " endpoint.kind", errors);
        if (kindName.isEmpty()) {
            if (table.get(List.of("kind")) == null) {
                errors.add(at, label + " endpoint has no kind",
                        "add endpoint.kind = \"unix\", \"tcp\", \"shm\" or \"aeron\"");
            }
            return Optional.empty();
        }
        final TomlPosition kindAt = table.inputPositionOf(List.of("kind"));
        final Endpoint.Kind kind = kind(kindName.get());
        if (kind == null) {
            errors.add(kindAt, label + " has unknown endpoint.kind '" + kindName.get() + "'",
                    "use one of \"unix\", \"tcp\", \"shm\", \"aeron\" (lower case)");
            return Optional.empty();
        }
        final Optional<String> addr = string(table, "addr", label + " endpoint.addr", errors);
        final Optional<String> path = string(table, "path", label + " endpoint.path", errors);
        final Optional<String> insecureBind = string(table, "insecure_bind", label + " endpoint.insecure_bind",
                errors);
        final Optional<String> channel = string(table, "channel", label + " endpoint.channel", errors);
        final Optional<String> fanout = string(table, "fanout", label + " endpoint.fanout", errors);
        if (kind != Endpoint.Kind.AERON) {
            channel.ifPresent(c -> errors.add(table.inputPositionOf(List.of("channel")), label + " sets "
                    + "endpoint.channel on a " + kind.tomlName() + " endpoint",
                    "remove endpoint.channel (it is only for kind = \"aeron\")"));
            fanout.ifPresent(f -> errors.add(table.inputPositionOf(List.of("fanout")), label + " sets "
                    + "endpoint.fanout on a " + kind.tomlName() + " endpoint",
                    "remove endpoint.fanout (it is only for kind = \"aeron\")"));
        } else if (fanout.isPresent() && !fanout.get().equals(FANOUT_MDC)) {
            errors.add(table.inputPositionOf(List.of("fanout")), label + " has endpoint.fanout = '" + fanout.get()
                    + "'", "write \"mdc\" (one multi-destination-cast publication to all peers) or remove it;"
                    + " multicast channels are not supported");
            return Optional.empty();
        }
        if (kind == Endpoint.Kind.TCP) {
            path.ifPresent(p -> errors.add(table.inputPositionOf(List.of("path")), label + " sets endpoint.path "
                    + "on a tcp endpoint", "remove endpoint.path or use endpoint.addr = \"ip:port\""));
            insecureBind.filter(v -> !v.equals("warn") && !v.equals("refuse")).ifPresent(v -> errors.add(
                    table.inputPositionOf(List.of("insecure_bind")), label + " has endpoint.insecure_bind = '" + v
                    + "'", "write \"warn\" (the default) or \"refuse\""));
            return tcpEndpoint(table, label, host, port, addr, errors)
                    .map(e -> new Endpoint(e.kind(), e.address(), insecureBind.orElse("")));
        }
        if (kind == Endpoint.Kind.AERON) {
            addr.ifPresent(a -> errors.add(table.inputPositionOf(List.of("addr")), label + " sets endpoint.addr on "
                    + "an aeron endpoint", "write endpoint.channel = \"aeron:udp?endpoint=" + a + "\" instead"));
            path.ifPresent(p -> errors.add(table.inputPositionOf(List.of("path")), label + " sets endpoint.path on "
                    + "an aeron endpoint", "remove endpoint.path; an aeron endpoint has endpoint.channel"));
        }
        insecureBind.ifPresent(v -> errors.add(table.inputPositionOf(List.of("insecure_bind")), label + " sets "
                + "endpoint.insecure_bind on a " + kind.tomlName() + " endpoint",
                "remove it (it is only for kind = \"tcp\": a TCP listener without TLS)"));
        if (kind == Endpoint.Kind.AERON) {
            return aeronEndpoint(table, label, host, port, channel, errors)
                    .map(e -> new Endpoint(e.kind(), e.address(), "", fanout.orElse("")));
        }
        addr.ifPresent(a -> errors.add(table.inputPositionOf(List.of("addr")), label + " sets endpoint.addr on a "
                + kind.tomlName() + " endpoint", "remove endpoint.addr (it is only for kind = \"tcp\")"
                + (kind == Endpoint.Kind.SHM ? " and set endpoint.path" : "")));
        if (path.isPresent() && !path.get().startsWith("/")) {
            errors.add(table.inputPositionOf(List.of("path")), label + " endpoint.path '" + path.get()
                    + "' is not an absolute path", "write an absolute path such as " + defaultPath(kind, name,
                    socketDir));
            return Optional.empty();
        }
        return Optional.of(new Endpoint(kind, path.orElse(defaultPath(kind, name, socketDir))));
    }

    private Optional<Endpoint> tcpEndpoint(final TomlTable table, final String label, final Optional<String> host,
                                           final OptionalInt port, final Optional<String> addr,
                                           final TopologyErrors errors) {
        if (addr.isPresent()) {
            if (!Addresses.isSocketAddress(addr.get())) {
                errors.add(table.inputPositionOf(List.of("addr")), label + " has bad endpoint.addr '" + addr.get()
                        + "'", "write an ip:port literal such as \"127.0.0.1:9091\" or \"[::1]:9091\" (host names "
                        + "are not resolved)");
                return Optional.empty();
            }
            return Optional.of(new Endpoint(Endpoint.Kind.TCP, addr.get()));
        }
        if (port.isEmpty()) {
            errors.add(table.inputPositionOf(List.of("kind")), label + " has a tcp endpoint without address",
                    "set endpoint.addr = \"ip:port\" or the node's port");
            return Optional.empty();
        }
        return Optional.of(new Endpoint(Endpoint.Kind.TCP, Addresses.join(host.orElse("127.0.0.1"),
                port.getAsInt())));
    }

    private Optional<Endpoint> aeronEndpoint(final TomlTable table, final String label, final Optional<String> host,
                                             final OptionalInt port, final Optional<String> channel,
                                             final TopologyErrors errors) {
        if (channel.isPresent()) {
            final java.util.regex.Matcher m = AERON_CHANNEL.matcher(channel.get());
            final int channelPort = m.matches() ? Integer.parseInt(m.group(1)) : 0;
            if (channelPort < 1 || channelPort > Addresses.MAX_PORT) {
                errors.add(table.inputPositionOf(List.of("channel")), label + " has bad endpoint.channel '"
                        + channel.get() + "'", "write an Aeron UDP channel with its endpoint, such as "
                        + "\"aeron:udp?endpoint=127.0.0.2:40456\" (port 1-65535)");
                return Optional.empty();
            }
            return Optional.of(new Endpoint(Endpoint.Kind.AERON, channel.get()));
        }
        if (port.isEmpty()) {
            errors.add(table.inputPositionOf(List.of("kind")), label + " has an aeron endpoint without channel",
                    "set endpoint.channel = \"aeron:udp?endpoint=ip:port\" or the node's port (the channel is then "
                    + "aeron:udp?endpoint=<host>:<port>)");
            return Optional.empty();
        }
        return Optional.of(new Endpoint(Endpoint.Kind.AERON, aeronChannel(host.orElse("127.0.0.1"),
                port.getAsInt())));
    }

    /**
     * @param host a host name or IP literal (IPv6 with or without brackets)
     * @param port the UDP port
     * @return the default Aeron channel of a node: {@code aeron:udp?endpoint=host:port}
     */
    static String aeronChannel(final String host, final int port) {
        return "aeron:udp?endpoint=" + Addresses.join(host, port);
    }

    /**
     * @param kind      the endpoint kind
     * @param node      the node name
     * @param socketDir the topology's socket directory
     * @return the default path of a Unix or shm endpoint
     */
    static String defaultPath(final Endpoint.Kind kind, final String node, final String socketDir) {
        return kind == Endpoint.Kind.SHM ? SHM_DIR + node + ".shm" : unixPath(socketDir, node);
    }

    /**
     * @param socketDir the topology's socket directory
     * @param node      the node name
     * @return {@code socketDir/<node>.sock}
     */
    static String unixPath(final String socketDir, final String node) {
        return (socketDir.endsWith("/") ? socketDir : socketDir + "/") + node + ".sock";
    }

    /**
     * @param name a node or service name
     * @return whether it is allowed (letters, digits, '.', '_', '-', starting with a letter or digit)
     */
    static boolean isValidName(final String name) {
        return NAME.matcher(name).matches();
    }

    private static Endpoint.Kind kind(final String name) {
        for (Endpoint.Kind k : Endpoint.Kind.values()) {
            if (k.tomlName().equals(name)) {
                return k;
            }
        }
        return null;
    }

    private static Optional<String> string(final TomlTable table, final String key, final String what,
                                           final TopologyErrors errors) {
        final Object value = table.get(List.of(key));
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            errors.add(table.inputPositionOf(List.of(key)), what + " must be a non-empty string, not " + value,
                    "write " + key + " = \"...\"");
            return Optional.empty();
        }
        return Optional.of(s);
    }
}
