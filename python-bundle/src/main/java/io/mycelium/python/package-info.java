/**
 * The embedded CPython host's public face: the exception a Python failure becomes in Java, and the monitor that
 * reports the node's Python services.
 */
@Export
@Version("1.1.0")
package io.mycelium.python;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
