/**
 * Benchmarks of Mycelium, each beside the floor or peer it is compared with.
 */
package io.mycelium.benchmarks;
