/**
 * Little-endian byte access shared by the frame, handshake and control codecs; private to the protocol bundle.
 */
package io.mycelium.protocol.impl;
