/**
 * Strict UTF-8 text shared by the handshake and control codecs; private to the protocol bundle.
 */
package io.mycelium.protocol.impl;
