/**
 * One log stream for the node: {@link io.mycelium.logging.LogLimiter}, the one rate limiter of repeated log lines
 * that every bundle uses. The bundle also carries the OSGi Log service (SCR, FileInstall, Web Console) and
 * {@code java.util.logging} / {@code System.Logger} into slf4j, so every line of a node has one format.
 */
@Export
@Version("1.1.0")
package io.mycelium.logging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
