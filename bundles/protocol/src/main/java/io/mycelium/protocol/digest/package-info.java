/**
 * The schema digest: the SHA-256 of a contracts.yaml file that peers compare before they exchange messages.
 */
// NOIMPORT: this bundle is the only provider of the wire format, so it never imports its own packages.
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.0.0")
package io.mycelium.protocol.digest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
