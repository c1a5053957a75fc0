/**
 * The one MessageBus of a node: topics, inline and queued delivery, counters.
 */
package io.mycelium.bus;
