/**
 * The control frames v1 peers exchange after the handshake, in the reserved core type-id range 1-999.
 */
// NOIMPORT: this bundle is the only provider of the wire format, so it never imports its own packages.
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.0.0")
package io.mycelium.protocol.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
