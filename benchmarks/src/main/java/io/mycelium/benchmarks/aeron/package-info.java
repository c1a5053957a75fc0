/**
 * The Aeron floor (raw publication/subscription ping-pong and throughput, no bus) and our Aeron link measured
 * beside it and beside the TCP link; run with {@code benchmarks/run-aeron.sh}.
 */
package io.mycelium.benchmarks.aeron;
