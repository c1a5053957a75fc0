/**
 * JMH benchmarks of the generated message codecs (encode/decode of example messages into byte buffers).
 */
package io.mycelium.benchmarks.codec;
