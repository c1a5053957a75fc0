/**
 * Benchmarks of the in-process bus, side by side with direct dispatch (the floor) and Felix EventAdmin (the peer).
 */
package io.mycelium.benchmarks.bus;
