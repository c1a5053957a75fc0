/**
 * Benchmarks of the wire codecs (frame header, payload copy) on their own, without a transport.
 */
package io.mycelium.benchmarks.codec;
