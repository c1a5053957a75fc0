/**
 * Stream links between Mycelium nodes and clients over connected byte streams (Unix sockets, TCP), for the
 * transport bundles to configure.
 */
@Export
@Version("2.0.0")
package io.mycelium.transport.stream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
