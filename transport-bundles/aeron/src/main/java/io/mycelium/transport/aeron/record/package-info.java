/**
 * Recording and replay of the types a node's topology marks as recorded: an Aeron Archive beside the node's media
 * driver records their stream, and a subscriber that (re)joins replays from where it stopped and merges into the
 * live stream with Aeron's {@code ReplayMerge}. Private to the Aeron transport bundle.
 */
package io.mycelium.transport.aeron.record;
