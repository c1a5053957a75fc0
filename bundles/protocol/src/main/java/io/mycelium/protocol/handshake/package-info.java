/**
 * The connection handshake that opens every stream link: the legacy digest-only form and the answered v1 form,
 * with the shared-memory attach messages that follow an ACCEPT on a shm endpoint.
 */
// NOIMPORT: this bundle is the only provider of the wire format, so it never imports its own packages.
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.1.0")
package io.mycelium.protocol.handshake;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
