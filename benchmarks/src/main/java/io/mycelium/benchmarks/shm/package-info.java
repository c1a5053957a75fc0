/**
 * Shared-memory benchmarks: the raw mmap ring floor between two processes and the cost of the transport's ring.
 */
package io.mycelium.benchmarks.shm;
