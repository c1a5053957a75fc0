/**
 * The private implementation of stream links: link threads, handshakes, interest tables, acceptor and dialers.
 */
package io.mycelium.transport.stream.impl;
