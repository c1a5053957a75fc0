/**
 * The Mycelium API for service authors: typed messages, the one {@link io.mycelium.api.MessageBus} per node, and the
 * schemas that describe message layouts. (Transports use the link SPI in {@code io.mycelium.api.link}.)
 */
@Export
@Version("2.1.0")
package io.mycelium.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
