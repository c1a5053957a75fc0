package io.mycelium.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Writes and reads certificates and private keys as PEM files with JDK APIs only, so whatever this class writes a
 * node loads without Bouncy Castle. Writes are atomic (a hidden sibling is written and moved into place); private
 * keys are created readable by their owner only (0600) before a byte is written. Stateless; safe for any thread.
 */
public final class PemFiles {

    /** Owner read and write only: the mode of every private key file. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** Owner read and write, everyone else read: the mode of certificate files (they are public). */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /**
     * Writes certificates as concatenated {@code CERTIFICATE} blocks, in order (a chain: the leaf first).
     *
     * @param file         the file to create or replace
     * @param certificates the certificates
     * @throws IOException if the file cannot be written
     */
    public static void writeCertificates(final Path file, final List<X509Certificate> certificates)
            throws IOException {
        final StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                text.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IOException(file + ": cannot encode certificate " + certificate.getSubjectX500Principal(),
                        e);
            }
        }
        write(file, text.toString(), PUBLIC);
    }

    /**
     * Writes a private key as an unencrypted PKCS#8 {@code PRIVATE KEY} block, mode 0600.
     *
     * @param file the file to create or replace
     * @param key  the key ({@link PrivateKey#getFormat()} PKCS#8, as every JDK key is)
     * @throws IOException if the file cannot be written
     */
    public static void writePrivateKey(final Path file, final PrivateKey key) throws IOException {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key of format " + key.getFormat() + " is not PKCS#8");
        }
        write(file, pem("PRIVATE KEY", key.getEncoded()), PRIVATE);
    }

    /**
     * Reads every certificate in a PEM (or DER) file.
     *
     * @param file the file
     * @return its certificates in file order, at least one
     * @throws IOException naming the file if it cannot be read or holds no certificate
     */
    public static List<X509Certificate> readCertificates(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        final List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        return certificates;
    }

    /**
     * Reads an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) of type EC, RSA, Ed25519 or
     * Ed448.
     *
     * @param file the file
     * @return the key
     * @throws IOException naming the file and the fix when it cannot be read, is in another format or is damaged
     */
    public static PrivateKey readPrivateKey(final Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        final int begin = text.indexOf(BEGIN_KEY);
        final int end = text.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            final String hint = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") ? "it is encrypted"
                    : text.contains(" PRIVATE KEY-----") ? "it is a traditional (PKCS#1/SEC1) key"
                    : "no PEM private key found";
            throw new IOException(file + ": not an unencrypted PKCS#8 private key (" + hint + "). Fix: convert it "
                    + "with: openssl pkcs8 -topk8 -nocrypt -in OLD -out " + file.getFileName());
        }
        final byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": damaged private key (invalid base64: " + e.getMessage() + ")", e);
        }
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                continue; // not this type: try the next
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this Java runtime lacks the " + algorithm + " key factory", e);
            }
        }
        throw new IOException(file + ": damaged private key or a type other than " + KEY_ALGORITHMS);
    }

    /**
     * @param type the PEM label, e.g. {@code CERTIFICATE}
     * @param der  the DER bytes
     * @return the PEM block, base64 in 64-character lines (RFC 7468)
     */
    static String pem(final String type, final byte[] der) {
        final String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private static void write(final Path file, final String text, final Set<PosixFilePermission> mode)
            throws IOException {
        final Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        // the mode is set when the file is created, so a private key is never readable by others, not even briefly
        final FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
        try (SeekableByteChannel out = Files.newByteChannel(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            final ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(temporary + ": another process is writing " + file.getFileName(), e);
        }
        if (posix()) {
            // the umask may have narrowed the creation mode (never widened): set it exactly
            Files.setPosixFilePermissions(temporary, mode);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
