/**
 * Stream links between Mycelium nodes and clients over connected byte streams: what every stream transport shares
 * (framing, handshake, interest, reconnect, outbound queue, its common settings) behind the {@link
 * io.mycelium.transport.stream.StreamEndpoints} SPI that each transport bundle (Unix, TCP) implements.
 */
@Export
@Version("2.6.0")
package io.mycelium.transport.stream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
