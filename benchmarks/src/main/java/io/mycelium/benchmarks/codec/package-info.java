/**
 * Benchmarks of the wire codecs on their own, without a transport: frame header and payload copy, and the
 * generated message codecs (encode/decode of example messages into byte buffers), and the receiving half of a link
 * after its socket read: a read's frames cut out and handed to a real bus ({@link ReadDeliveryBenchmark}).
 */
package io.mycelium.benchmarks.codec;
