/**
 * The TLV frame that carries every message on a stream link: a 6-byte little-endian header, then the payload.
 */
// NOIMPORT: this bundle is the only provider of the wire format, so it never imports its own packages.
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.2.0")
package io.mycelium.protocol.frame;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
