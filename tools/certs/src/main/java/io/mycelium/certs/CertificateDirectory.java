package io.mycelium.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of one topology's certificates in one directory: {@value #CA_CERTIFICATE} and {@value #CA_KEY} for the
 * CA, {@code <node>.pem} (chain) and {@code <node>.key} per node. An existing CA is read and reused, never replaced
 * unless the caller asks ({@link #writeAuthority}); a half-present CA is an error, never silently completed.
 * Stateless apart from the path; safe for any thread, though two writers of one directory race.
 */
public final class CertificateDirectory {

    /** The CA certificate, the trust anchor every node is configured with ({@code tls.ca}). */
    public static final String CA_CERTIFICATE = "ca.pem";
    /** The CA's private key: needed only to issue certificates, never by a running node. */
    public static final String CA_KEY = "ca.key";

    /** Node names that are safe file names (the topology allows the same set). */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path directory;

    /** @param directory the directory (need not exist yet) */
    public CertificateDirectory(final Path directory) {
        this.directory = directory;
    }

    /** @return the directory */
    public Path directory() {
        return directory;
    }

    /** @return {@code <dir>/ca.pem} */
    public Path caCertificate() {
        return directory.resolve(CA_CERTIFICATE);
    }

    /** @return {@code <dir>/ca.key} */
    public Path caKey() {
        return directory.resolve(CA_KEY);
    }

    /**
     * @param nodeName a node name
     * @return {@code <dir>/<node>.pem}, the node's certificate chain ({@code tls.cert})
     * @throws IllegalArgumentException if the name is not a safe file name, would collide with the CA's files or is
     *                                  longer than a certificate's common name may be
     */
    public Path nodeCertificate(final String nodeName) {
        return directory.resolve(checkNodeName(nodeName) + ".pem");
    }

    /**
     * @param nodeName a node name
     * @return {@code <dir>/<node>.key}, the node's private key ({@code tls.key})
     * @throws IllegalArgumentException if the name is not a safe file name, would collide with the CA's files or is
     *                                  longer than a certificate's common name may be
     */
    public Path nodeKey(final String nodeName) {
        return directory.resolve(checkNodeName(nodeName) + ".key");
    }

    /**
     * Reads the CA kept in this directory.
     *
     * @return the CA, or empty when neither {@code ca.pem} nor {@code ca.key} exists
     * @throws IOException naming the file and the fix when only one of the two exists, either cannot be read, the
     *                     key does not match, or the CA has expired
     */
    public Optional<CertificateAuthority> readAuthority() throws IOException {
        final boolean certificate = Files.exists(caCertificate(), LinkOption.NOFOLLOW_LINKS);
        final boolean key = Files.exists(caKey(), LinkOption.NOFOLLOW_LINKS);
        if (!certificate && !key) {
            return Optional.empty();
        }
        if (!certificate || !key) {
            final Path present = certificate ? caCertificate() : caKey();
            final Path missing = certificate ? caKey() : caCertificate();
            throw new IOException(present + " exists but " + missing + " does not: a CA needs both. Fix: restore "
                    + missing.getFileName() + ", or make a new CA with --force (every node then needs its new "
                    + "certificate)");
        }
        final CertificateAuthority authority = CertificateAuthority.read(caCertificate(), caKey());
        final Instant notAfter = authority.certificate().getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            throw new IOException(caCertificate() + ": the CA " + authority.name() + " expired on " + notAfter
                    + ". Fix: make a new CA with --force (every node then needs its new certificate)");
        }
        return Optional.of(authority);
    }

    /**
     * Writes the CA's files, replacing any there; creates the directory (mode 0700) if needed.
     *
     * @param authority the CA
     * @throws IOException if the directory or a file cannot be written
     */
    public void writeAuthority(final CertificateAuthority authority) throws IOException {
        createDirectory();
        authority.write(caCertificate(), caKey());
    }

    /**
     * Writes a node's chain and key, replacing any there; creates the directory (mode 0700) if needed.
     *
     * @param credentials the node's credentials
     * @throws IOException if the directory or a file cannot be written
     */
    public void writeNode(final NodeCredentials credentials) throws IOException {
        createDirectory();
        credentials.write(nodeCertificate(credentials.nodeName()), nodeKey(credentials.nodeName()));
    }

    /**
     * @param nodeName a node name
     * @return the node's credentials as written by {@link #writeNode}
     * @throws IOException naming the file when one cannot be read
     */
    public NodeCredentials readNode(final String nodeName) throws IOException {
        return NodeCredentials.read(nodeName, nodeCertificate(nodeName), nodeKey(nodeName));
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // it will hold private keys: only the owner may list and read it
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static String checkNodeName(final String nodeName) {
        if (nodeName == null || !NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("invalid node name '" + nodeName + "': use letters, digits, '.', "
                    + "'_' and '-', starting with a letter or digit");
        }
        if (nodeName.length() > CertificateAuthority.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("node name '" + nodeName + "' is longer than the "
                    + CertificateAuthority.MAX_NAME_LENGTH + " characters a certificate's common name may have: "
                    + "shorten it");
        }
        if ("ca".equals(nodeName)) {
            throw new IllegalArgumentException("a node named 'ca' would overwrite the CA's files " + CA_CERTIFICATE
                    + " and " + CA_KEY + ": rename the node");
        }
        return nodeName;
    }
}
