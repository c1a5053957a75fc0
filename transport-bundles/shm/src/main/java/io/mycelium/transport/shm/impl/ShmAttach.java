package io.mycelium.transport.shm.impl;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.ShmAttached;
import io.mycelium.transport.shm.impl.ring.ShmSegment;
import io.mycelium.transport.shm.impl.ring.ShmSegmentException;
import io.mycelium.transport.stream.LinkAttachment;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;

/**
 * The attach of docs/wire.md §7 on the control socket, right after an accepted v1 handshake: the accepting side
 * creates the segment and sends SHM_ATTACH; the dialing side checks and maps it and answers SHM_ATTACHED. A refusal
 * (either side) is counted, logged at WARN naming the peer, the file and the field, and fails the link with the
 * same reason; the segment is removed.
 *
 * <p>Stateless; runs on the link's reader thread, blocking, under the link's handshake timeout.
 */
final class ShmAttach {

    private ShmAttach() {
    }

    /** Accepting side: creates, offers and (when the client maps it) returns the link's medium. */
    static ShmMedium offer(final LinkAttachment link, final Path path, final ShmSettings settings,
            final ShmCounters counters, final Logger log) throws IOException {
        final ShmSegment segment = ShmSegment.create(path, settings.ringCapacity(), settings.ringCapacity(),
                SchemaDigest.of(link.digest()), ProcessHandle.current().pid());
        boolean attached = false;
        try {
            ShmAttachMessages.write(link.socket(), io.mycelium.protocol.handshake.ShmAttach.of(
                    settings.ringCapacity(), settings.ringCapacity(), path.toString()));
            final ShmAttached reply = ShmAttachMessages.readAttached(link.socket(), link.received());
            if (!reply.isOk()) {
                counters.refused();
                final String text = "client " + link.peerName() + " refused segment " + path + " ("
                        + reply.statusName() + "): " + reply.text();
                log.warn("shm link from {}: {}; segment removed", link.peerName(), text);
                throw new IOException(text);
            }
            attached = true;
            return new ShmMedium(link.socket(), segment, link.peerName(), settings, counters, log);
        } finally {
            if (!attached) {
                segment.markClosed();
                segment.remove();
            }
        }
    }

    /** Dialing side: reads SHM_ATTACH, checks and maps the segment, answers, and returns the link's medium. */
    static ShmMedium map(final LinkAttachment link, final ShmSettings settings, final ShmCounters counters,
            final Logger log) throws IOException {
        final io.mycelium.protocol.handshake.ShmAttach offer = ShmAttachMessages.readAttach(link.socket(),
                link.received());
        final ShmSegment segment;
        try {
            // ShmAttach bounds the capacities to u32; the segment checks insist on powers of two up to 2^30.
            segment = ShmSegment.attach(Path.of(offer.path()), (int) Math.min(offer.capacity0(), Integer.MAX_VALUE),
                    (int) Math.min(offer.capacity1(), Integer.MAX_VALUE), SchemaDigest.of(link.digest()));
        } catch (final ShmSegmentException e) {
            counters.refused();
            log.warn("shm link to {}: refusing its segment: {}", link.peerName(), e.getMessage());
            ShmAttachMessages.write(link.socket(), ShmAttached.refused(e.status(), e.getMessage()));
            throw new IOException(e.getMessage(), e);
        }
        try {
            segment.writeClientPid(ProcessHandle.current().pid());
            segment.writeHeartbeat(System.currentTimeMillis());
            ShmAttachMessages.write(link.socket(), ShmAttached.ok());
        } catch (final IOException e) {
            segment.close();
            throw e;
        }
        return new ShmMedium(link.socket(), segment, link.peerName(), settings, counters, log);
    }
}
