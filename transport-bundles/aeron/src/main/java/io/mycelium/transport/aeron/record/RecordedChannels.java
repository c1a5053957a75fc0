package io.mycelium.transport.aeron.record;

/**
 * The Aeron channels of a recorded stream. The publishing node offers its recorded types on one
 * multi-destination-cast publication whose control endpoint is {@code <host>:<port>} (subscribers add themselves as
 * destinations, so the live stream and its recording are one Aeron stream with one set of positions - what
 * {@code ReplayMerge} needs to switch from replay to live without gap or duplicate). {@code ssc=true} lets the
 * archive's local spy count as a receiver, so the stream is recorded while no subscriber is connected. Stateless.
 */
public final class RecordedChannels {

    private RecordedChannels() {
    }

    /**
     * @param host the publishing node's address
     * @param port its MDC control port
     * @return the publication's channel (also the channel the archive records)
     */
    public static String publication(final String host, final int port) {
        return "aeron:udp?control=" + host + ":" + port + "|control-mode=dynamic|ssc=true";
    }

    /**
     * @param host the publishing node's address
     * @param port its MDC control port
     * @return the part of the recorded channel that identifies the publisher, for the archive's recording lookup
     */
    static String recordingFragment(final String host, final int port) {
        return "control=" + host + ":" + port;
    }

    /**
     * @param subscriberHost the subscribing node's address (an ephemeral port is bound on it)
     * @param host           the publishing node's address
     * @param port           its MDC control port
     * @return the live destination the subscriber adds once the replay has caught up
     */
    static String liveDestination(final String subscriberHost, final String host, final int port) {
        return "aeron:udp?endpoint=" + subscriberHost + ":0|control=" + host + ":" + port;
    }

    /**
     * @param subscriberHost the subscribing node's address
     * @return where the archive sends the replay (an ephemeral port ReplayMerge resolves)
     */
    static String replayDestination(final String subscriberHost) {
        return "aeron:udp?endpoint=" + subscriberHost + ":0";
    }

    /**
     * @param sessionId the recorded publication's session
     * @return the replay's channel (ReplayMerge fills in the destination's endpoint)
     */
    static String replay(final int sessionId) {
        return "aeron:udp?session-id=" + sessionId;
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
