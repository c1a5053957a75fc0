/**
 * The implementation of the node's one {@link io.mycelium.api.MessageBus}: topics, subscriptions and dispatchers.
 */
package io.mycelium.bus.impl;
