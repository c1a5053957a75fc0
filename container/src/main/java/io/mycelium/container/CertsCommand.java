package io.mycelium.container;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateParsingException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.mycelium.api.ConfigurationException;
import io.mycelium.certs.CertificateAuthority;
import io.mycelium.certs.CertificateDirectory;
import io.mycelium.certs.KeyAlgorithm;
import io.mycelium.certs.NodeCredentials;
import io.mycelium.topology.Endpoint;
import io.mycelium.topology.Node;
import io.mycelium.topology.Topology;
import io.mycelium.topology.impl.TopologyParser;

/**
 * {@code bin/mycelium certs}: a private CA and one certificate per node of a topology, written with
 * {@link CertificateDirectory} (the topology is read by the topology bundle's own parser). Reuses a CA found in the
 * output folder; refuses a half-present or expired one unless {@code --force}. Prints what it wrote and how to turn
 * TLS on. Runs once on the main thread; needs {@code lib/certs/} on the class path (the script puts it there).
 */
final class CertsCommand {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param out where the files written and the next steps are printed
     * @param err where errors are printed
     */
    CertsCommand(final PrintStream out, final PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Writes the files.
     *
     * @param options the parsed command line
     * @return the exit status: 0 when every file was written, 1 otherwise (the reason is printed)
     */
    int run(final CertsOptions options) {
        final Topology topology;
        try {
            topology = new TopologyParser().parse(options.topology());
        } catch (final ConfigurationException e) {
            return fail(e.getMessage());
        }
        final CertificateDirectory directory = new CertificateDirectory(options.out().toAbsolutePath().normalize());
        for (Node node : topology.nodes()) {
            try {
                directory.nodeKey(node.name());
            } catch (final IllegalArgumentException e) {
                return fail(topology.source() + ": " + e.getMessage());
            }
        }
        if (topology.nodes().isEmpty()) {
            return fail(topology.source() + ": the topology has no nodes. Fix: add [[nodes]] entries");
        }
        try {
            final CertificateAuthority authority = authority(directory, options, topology);
            final Duration validity = Duration.ofDays(options.days());
            for (Node node : topology.nodes()) {
                final boolean existed = Files.exists(directory.nodeCertificate(node.name()), LinkOption.NOFOLLOW_LINKS);
                final NodeCredentials credentials = authority.issue(node.name(), ipAddresses(node), validity);
                directory.writeNode(credentials);
                out.println((existed ? "replaced " : "wrote    ") + directory.nodeCertificate(node.name()) + " and "
                        + directory.nodeKey(node.name()).getFileName() + " (" + describe(credentials) + ")");
            }
        } catch (final IOException e) {
            return fail(describe(e) + ". Fix: choose another --out folder or make this one writable");
        } catch (final CaRefused e) {
            return fail(e.getMessage());
        }
        printNextSteps(directory, topology);
        return 0;
    }

    private CertificateAuthority authority(final CertificateDirectory directory, final CertsOptions options,
                                           final Topology topology) throws IOException, CaRefused {
        final boolean present = Files.exists(directory.caCertificate(), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(directory.caKey(), LinkOption.NOFOLLOW_LINKS);
        if (present && !options.force()) {
            final Optional<CertificateAuthority> existing;
            try {
                existing = directory.readAuthority();
            } catch (final IOException e) {
                throw new CaRefused(e.getMessage());
            }
            if (existing.isPresent()) {
                out.println("reusing  " + directory.caCertificate() + " (" + existing.get().name() + ", valid until "
                        + DAY.format(existing.get().certificate().getNotAfter().toInstant()) + ")");
                warnIfReadableByOthers(directory.caKey());
                return existing.get();
            }
        }
        final Duration validity = Duration.ofDays(Math.max(options.days(),
                CertificateAuthority.DEFAULT_CA_VALIDITY.toDays()));
        // the CN tells CAs apart (when made, for which file) within X.509's 64 characters
        final String name = "Mycelium CA " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " "
                + Path.of(topology.source()).getFileName();
        final CertificateAuthority authority = CertificateAuthority.create(
                name.substring(0, Math.min(name.length(), CertificateAuthority.MAX_NAME_LENGTH)), KeyAlgorithm.EC_P256,
                validity);
        directory.writeAuthority(authority);
        out.println((present ? "replaced " : "wrote    ") + directory.caCertificate() + " and "
                + directory.caKey().getFileName() + " (a new CA, " + authority.name() + ", valid until "
                + DAY.format(authority.certificate().getNotAfter().toInstant()) + ")");
        if (present) {
            out.println("         the old CA no longer signs: every node, also nodes of other topologies it "
                    + "signed, needs its new files");
        }
        return authority;
    }

    private void printNextSteps(final CertificateDirectory directory, final Topology topology) {
        final Node first = topology.nodes().get(0);
        out.println();
        out.println("Next: give each node ca.pem and its own .pem and .key (ca.key stays here: it is needed only to "
                + "issue certificates), and turn TLS on for its TCP endpoint with these settings (docs/transports.md, "
                + "TLS), e.g. for node " + first.name() + ":");
        out.println("  tls.ca   = " + directory.caCertificate());
        out.println("  tls.cert = " + directory.nodeCertificate(first.name()));
        out.println("  tls.key  = " + directory.nodeKey(first.name()));
        if (topology.nodes().size() > 1) {
            out.println("and likewise with <node>.pem and <node>.key for " + String.join(", ", topology.nodes()
                    .subList(1, topology.nodes().size()).stream().map(Node::name).toList()) + ".");
        }
    }

    private void warnIfReadableByOthers(final Path key) throws IOException {
        if (!key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        final Set<PosixFilePermission> mode = Files.getPosixFilePermissions(key);
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            out.println("warning: " + key + " is readable by other users; make it private with: chmod 600 " + key);
        }
    }

    /**
     * @param node a node
     * @return the IP literals among its host and TCP endpoint address (not wildcards), for IP subject names
     */
    static List<InetAddress> ipAddresses(final Node node) {
        final Set<String> literals = new LinkedHashSet<>();
        node.host().ifPresent(literals::add);
        node.endpoint().filter(e -> e.kind() == Endpoint.Kind.TCP).map(Endpoint::address)
                .map(a -> a.substring(0, a.lastIndexOf(':'))).ifPresent(literals::add);
        final List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            final String bare = literal.startsWith("[") ? literal.substring(1, literal.length() - 1) : literal;
            // literals only: a host name would need a DNS lookup, and the node name is its DNS subject name
            if (bare.matches("[0-9.]+") || bare.contains(":")) {
                try {
                    final InetAddress address = InetAddress.getByName(bare);
                    if (!address.isAnyLocalAddress() && !addresses.contains(address)) {
                        addresses.add(address);
                    }
                } catch (final UnknownHostException e) {
                    continue; // the topology parser accepted it as a host name after all: no IP name for it
                }
            }
        }
        return addresses;
    }

    private static String describe(final NodeCredentials credentials) {
        final List<String> names = new ArrayList<>();
        try {
            if (credentials.certificate().getSubjectAlternativeNames() != null) {
                for (List<?> name : credentials.certificate().getSubjectAlternativeNames()) {
                    names.add((Integer) name.get(0) == 2 ? "DNS " + name.get(1) : "IP " + name.get(1));
                }
            }
        } catch (final CertificateParsingException e) {
            names.add("unreadable subject names: " + e.getMessage());
        }
        return credentials.certificate().getSubjectX500Principal().getName()
                + (names.isEmpty() ? "" : ", " + String.join(", ", names)) + ", valid until "
                + DAY.format(credentials.certificate().getNotAfter().toInstant());
    }

    /** @return the file and the reason, e.g. {@code /x/tls: not a directory} */
    static String describe(final IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            final String reason = f.getReason() != null ? f.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e.getClass().getSimpleName();
            return "cannot write " + f.getFile() + ": " + reason;
        }
        return e.getMessage();
    }

    private int fail(final String message) {
        err.println("mycelium certs: " + message);
        return 1;
    }

    /** The CA in the output folder cannot be reused, and {@code --force} was not given. */
    private static final class CaRefused extends Exception {
        private static final long serialVersionUID = 1L;

        CaRefused(final String message) {
            super(message);
        }
    }
}
