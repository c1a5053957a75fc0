package io.mycelium.container;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Web Console listens and who may log in. The console never runs with the stock admin/admin: a password
 * is taken from {@code MYCELIUM_CONSOLE_PASSWORD}, then {@code mycelium.console.password}, then
 * {@code etc/console.password}; when none is set one is generated and stored in {@code etc/console.password}.
 *
 * @param enabled      whether the console runs
 * @param host         the bind address
 * @param port         the bound port (resolved when 0 was asked for)
 * @param user         the login name
 * @param password     the password
 * @param passwordFile where a generated or stored password lives; empty when the password was configured
 * @param generated    whether the password was generated at this start
 */
record ConsoleSettings(boolean enabled, String host, int port, String user, String password,
                       Optional<Path> passwordFile, boolean generated) {

    static final String PASSWORD_ENV = "MYCELIUM_CONSOLE_PASSWORD";
    private static final String PASSWORD_FILE = "console.password";
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    /**
     * Resolves the console settings and checks that the port is free.
     *
     * @param properties the framework properties (after command-line overrides)
     * @param layout     the node's folders
     * @param environment the process environment
     * @return the settings
     * @throws LaunchException if the port is in use, the password file is unreadable, or the password is the stock one
     */
    static ConsoleSettings resolve(final Map<String, String> properties, final NodeLayout layout,
                                   final Map<String, String> environment) throws LaunchException {
        final boolean enabled = Boolean.parseBoolean(properties.getOrDefault("mycelium.console.enabled", "true"));
        final String host = properties.getOrDefault("mycelium.console.host", "127.0.0.1");
        final String user = properties.getOrDefault("mycelium.console.user", "admin");
        if (!enabled) {
            return new ConsoleSettings(false, host, -1, user, "", Optional.empty(), false);
        }
        final int port = bindablePort(host, parsePort(properties.getOrDefault("mycelium.console.port", "8181")));
        final Path file = layout.etc().resolve(PASSWORD_FILE);
        String password = environment.get(PASSWORD_ENV);
        if (password == null) {
            password = properties.get("mycelium.console.password");
        }
        if (password != null && !password.isBlank()) {
            return checked(new ConsoleSettings(true, host, port, user, password, Optional.empty(), false));
        }
        if (Files.exists(file)) {
            try {
                final String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.isEmpty()) {
                    throw new LaunchException(file + " is empty (delete it to generate a new console password)");
                }
                return checked(new ConsoleSettings(true, host, port, user, stored, Optional.of(file), false));
            } catch (final IOException e) {
                throw new LaunchException("cannot read the console password in " + file + ": " + e, e);
            }
        }
        return new ConsoleSettings(true, host, port, user, store(file, generate()), Optional.of(file), true);
    }

    /** @return the console's address, or {@code none} */
    String url() {
        return enabled ? "http://" + host + ":" + port + "/system/console" : "none";
    }

    private static ConsoleSettings checked(final ConsoleSettings settings) throws LaunchException {
        if (settings.user().equals("admin") && settings.password().equals("admin")) {
            throw new LaunchException("the Web Console password must not be the stock 'admin' (set another with "
                    + PASSWORD_ENV + ", mycelium.console.password, or delete etc/console.password to generate one)");
        }
        return settings;
    }

    private static int parsePort(final String text) throws LaunchException {
        try {
            final int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (final NumberFormatException e) {
            // reported below with the offending text
        }
        throw new LaunchException("mycelium.console.port '" + text + "' is not a port number 0-65535");
    }

    /** Binds the port once, so an occupied port fails here with one clear line rather than deep inside Jetty. */
    private static int bindablePort(final String host, final int port) throws LaunchException {
        final InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (final UnknownHostException e) {
            throw new LaunchException("mycelium.console.host '" + host + "' is not a known address", e);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new LaunchException("console port " + host + ":" + port + " is in use (" + e.getMessage()
                    + "); choose another with --console-port PORT (0 picks a free one) or --console-port off", e);
        }
    }

    private static String generate() {
        final SecureRandom random = new SecureRandom();
        final char[] chars = new char[20];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    /** @return the stored password: ours, or the one another instance stored at the same moment */
    private static String store(final Path file, final String password) throws LaunchException {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (final FileAlreadyExistsException e) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.writeString(file, password + System.lineSeparator(), StandardCharsets.UTF_8);
            return password;
        } catch (final IOException | UnsupportedOperationException e) {
            throw new LaunchException("cannot store the generated console password in " + file + ": " + e
                    + " (make etc/ writable or set " + PASSWORD_ENV + ")", e);
        }
    }
}
