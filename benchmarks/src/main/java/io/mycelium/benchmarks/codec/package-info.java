/**
 * Benchmarks of the wire codecs on their own, without a transport: frame header and payload copy, and the
 * generated message codecs (encode/decode of example messages into byte buffers).
 */
package io.mycelium.benchmarks.codec;
