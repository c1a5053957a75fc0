/**
 * Recording and replay of the types a node's topology marks as recorded: an Aeron Archive beside the node's media
 * driver records their local stream, and a subscriber that (re)joins replays from where it stopped with a replay
 * that follows the recording, so history and live arrive on one stream. Private to the Aeron transport bundle.
 */
package io.mycelium.transport.aeron.record;
