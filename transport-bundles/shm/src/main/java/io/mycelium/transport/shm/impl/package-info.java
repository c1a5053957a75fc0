/**
 * The shared-memory transport: a node whose endpoint is {@code kind = "shm"} owns a Unix control socket at its
 * endpoint path, and every accepted connection gets a mapped segment file with one single-producer/single-consumer
 * record ring per direction (docs/wire.md §7). Private to the bundle.
 */
package io.mycelium.transport.shm.impl;
