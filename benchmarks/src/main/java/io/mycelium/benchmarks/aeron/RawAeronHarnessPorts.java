package io.mycelium.benchmarks.aeron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** Finds a UDP port free on 127.0.0.1 now (another process may take it before Aeron binds it). Stateless. */
final class RawAeronHarnessPorts {

    private RawAeronHarnessPorts() {
    }

    static int free() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free UDP port on 127.0.0.1", e);
        }
    }
}
