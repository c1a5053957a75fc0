package io.mycelium.transport.aeron.record;

/**
 * The Aeron channels of a recorded stream. The publishing node offers its recorded types on one local (IPC)
 * publication that its archive records; subscribers never join that publication: each gets a unicast replay of the
 * recording from its archive, which follows the recording as it grows. So only the archive paces the publisher, and
 * a slow or killed subscriber slows nothing but its own replay. Stateless.
 */
public final class RecordedChannels {

    /** The channel the archive records and subscribers look recordings up by. */
    static final String RECORDED = "aeron:ipc";
    /**
     * The recorded publication's term: 4 MiB, so the archive may fall 2 MiB (the publication's window) behind
     * before the publisher is back-pressured.
     */
    static final String TERM_LENGTH = "4m";

    private RecordedChannels() {
    }

    /** @return the publication's channel (the archive records it as {@link #RECORDED}) */
    public static String publication() {
        return RECORDED + "?term-length=" + TERM_LENGTH;
    }

    /**
     * @param subscriberHost the subscribing node's address
     * @return where the archive sends the replay (an ephemeral port, resolved once the subscription is bound)
     */
    static String replayDestination(final String subscriberHost) {
        return "aeron:udp?endpoint=" + subscriberHost + ":0";
    }

    /**
     * @param host the publishing node's address
     * @param port its archive's control port
     * @return the archive's control request channel
     */
    public static String archiveControl(final String host, final int port) {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }
}
