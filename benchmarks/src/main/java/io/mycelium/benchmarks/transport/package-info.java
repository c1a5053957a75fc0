/**
 * Latency and throughput of the Unix and TCP stream links, measured beside a C socket floor.
 */
package io.mycelium.benchmarks.transport;
