/**
 * The shared-memory layout: the segment header and ring control blocks ({@code ShmLayoutDescriptor}), the
 * per-direction SPSC record rings, segment files (create, lock, map, validate, heartbeat, remove, stale reclaim) and
 * the attach messages. Private to the bundle; the link package builds on it.
 */
package io.mycelium.transport.shm.impl.ring;
