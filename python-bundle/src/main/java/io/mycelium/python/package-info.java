/**
 * The embedded CPython host's public face: the exception a Python failure becomes when it reaches Java.
 */
@Export
@Version("1.0.0")
package io.mycelium.python;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
