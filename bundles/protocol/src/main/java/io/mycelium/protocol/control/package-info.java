/**
 * The control frames v1 peers exchange after the handshake, in the reserved core type-id range 1-999.
 */
@Export
@Version("1.0.0")
package io.mycelium.protocol.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
