/**
 * Stream-link machinery shared by the Unix and TCP transports: framing, handshake, interest, reconnect.
 */
package io.mycelium.transport.stream;
