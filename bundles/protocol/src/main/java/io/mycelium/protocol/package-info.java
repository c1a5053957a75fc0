/**
 * TLV frame codec, C-layout helpers, schema digest, handshake and control frames shared by codecs and transports.
 */
package io.mycelium.protocol;
