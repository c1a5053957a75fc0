package io.mycelium.transport.unix.impl;

import io.mycelium.logging.LogLimiter;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users whose processes may connect to a Unix listener ({@code peer.uids}): the kernel's credentials of the
 * connecting process ({@code SO_PEERCRED}) are compared with the list, so a process of another user that can reach
 * the socket file (a mode wider than 0600, a shared group) is refused. An empty list admits every peer: the socket
 * file's 0600 mode already admits only this node's user (and root).
 *
 * <p>Thread-safe: immutable apart from the log limiter. A refusal is logged at WARN naming the user and the socket
 * path, at most once per {@value #LOG_SECONDS} s (with the count of lines left out).
 */
final class PeerUsers {

    static final long LOG_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PeerUsers.class);

    private final List<String> configured;
    private final Set<UserPrincipal> allowed;
    private final LogLimiter refusals = new LogLimiter(Duration.ofSeconds(LOG_SECONDS));

    private PeerUsers(final List<String> configured, final Set<UserPrincipal> allowed) {
        this.configured = configured;
        this.allowed = allowed;
    }

    /** @return a list admitting every peer */
    static PeerUsers any() {
        return new PeerUsers(List.of(), Set.of());
    }

    /**
     * Reads {@code peer.uids}: user names or numeric uids; each element may itself be a comma-separated list (a
     * {@code .cfg} file gives one string).
     *
     * @param entries the configured entries
     * @return the allow-list
     * @throws IllegalArgumentException naming the entry when it is no user of this host and no uid
     */
    static PeerUsers parse(final String[] entries) {
        final List<String> configured = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    configured.add(part.trim());
                }
            }
        }
        final UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        final Set<UserPrincipal> allowed = new LinkedHashSet<>();
        for (String user : configured) {
            if (user.startsWith("-")) {
                throw new IllegalArgumentException("peer.uids entry '" + user + "' is not a user name or uid");
            }
            try {
                // a name known to the host, else a number taken as a uid (JDK: equal principals have equal uids)
                allowed.add(lookup.lookupPrincipalByName(user));
            } catch (final UserPrincipalNotFoundException e) {
                throw new IllegalArgumentException("peer.uids entry '" + user + "' is neither a user of this host"
                        + " nor a numeric uid", e);
            } catch (final IOException e) {
                throw new IllegalArgumentException("peer.uids entry '" + user + "' cannot be looked up: "
                        + e.getMessage(), e);
            }
        }
        return new PeerUsers(List.copyOf(configured), Set.copyOf(allowed));
    }

    /** @return whether every peer is admitted (no list configured) */
    boolean admitsAny() {
        return allowed.isEmpty();
    }

    /**
     * Checks the process at the other end of an accepted channel. Link reader thread.
     *
     * @param channel an accepted Unix domain channel
     * @param path    the socket path it was accepted on, for messages
     * @return {@code null} to admit, otherwise the reason (for the peer's REJECT; it does not list who is allowed)
     */
    String refusal(final SocketChannel channel, final String path) {
        if (allowed.isEmpty()) {
            return null;
        }
        final UnixDomainPrincipal peer;
        try {
            peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (final IOException | UnsupportedOperationException e) {
            // fail closed: a list is configured, and the peer cannot be shown to be on it
            return refuse("the credentials of the process connecting to Unix socket " + path + " cannot be read ("
                    + e.getMessage() + ")", path);
        }
        if (allowed.contains(peer.user())) {
            return null;
        }
        return refuse("user '" + peer.user().getName() + "' (group '" + peer.group().getName() + "') may not"
                + " connect to Unix socket " + path + " (peer.uids)", path);
    }

    private String refuse(final String reason, final String path) {
        final long suppressed = refusals.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            LOG.warn("unix listener {}: refused a peer (UNAUTHORISED): {}; peer.uids admits only {}. Fix: run the"
                    + " client as one of those users or add its user to peer.uids of this node's Unix transport{}",
                    path, reason, configured, refusals.summary(suppressed));
        }
        return reason;
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "any user" : String.join(", ", configured);
    }
}
