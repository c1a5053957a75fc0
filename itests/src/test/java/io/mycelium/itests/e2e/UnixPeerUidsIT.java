package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.protocol.digest.SchemaDigest;
import io.mycelium.protocol.handshake.HandshakeCodec;
import io.mycelium.protocol.handshake.Hello;
import io.mycelium.protocol.handshake.Reject;
import io.mycelium.protocol.handshake.RejectReason;
import io.mycelium.protocol.handshake.ReplyReader;

import java.io.EOFException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Unix listener with {@code peer.uids} (a {@code .cfg} in deploy/) refuses a process of a user not on the list:
 * the client reads REJECT UNAUTHORISED naming its user and the socket, and the node logs one WARN saying so.
 */
class UnixPeerUidsIT {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldRejectUnauthorisedWhenPeersUserIsNotInPeerUids() throws Exception {
        final Path socket = dir.resolve("guarded.sock");
        final String self = System.getProperty("user.name");
        try (DistributionNode node = DistributionNode.builder().start().awaitReady()) {
            // the example protocol: the Schema service a transport needs
            node.deploy(ExampleServices.shipped("examples.jar"), "examples.jar");
            // uid 4242: a user nobody runs this test as
            node.deployText("io.mycelium.transport.unix-guarded.cfg", "node = guarded\nlisten = " + socket
                    + "\npeer.uids = 4242\n");
            node.awaitTrue("the guarded listener is bound", BOUND, () -> Files.exists(socket));

            final Reject reject = reply(socket);
            assertEquals(RejectReason.UNAUTHORISED, reject.reason(), reject.toString());
            assertTrue(reject.text().contains("user '" + self + "'") && reject.text().contains(socket.toString()),
                    reject.text());
            final String line = node.awaitOutput("refused a peer (UNAUTHORISED)", BOUND);
            assertTrue(line.contains("WARN") && line.contains("user '" + self + "'")
                    && line.contains("peer.uids admits only [4242]")
                    && line.contains("unix listener " + socket + ":"), line);
        }
    }

    /** Sends a v1 HELLO (any digest: the user is checked first) and reads the reply. */
    private static Reject reply(final Path socket) throws Exception {
        // At once: the socket file appears only when its listener accepts (UnixListenerFiles), never refused.
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(HandshakeCodec.encode(Hello.of(SchemaDigest.ZERO, "intruder"))));
            final ReplyReader reader = new ReplyReader();
            final ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (true) {
                if (channel.read(buffer) < 0) {
                    throw new EOFException("closed without a reply");
                }
                buffer.flip();
                final ReplyReader.Status status = reader.feed(buffer);
                buffer.compact();
                if (status == ReplyReader.Status.REJECTED) {
                    return reader.reject();
                }
                assertEquals(ReplyReader.Status.NEED_MORE, status, "expected REJECT");
            }
        }
    }
}
