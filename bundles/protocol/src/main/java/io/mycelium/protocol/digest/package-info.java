/**
 * The schema digest: the SHA-256 of a contracts.yaml file that peers compare before they exchange messages.
 */
@Export
@Version("1.0.0")
package io.mycelium.protocol.digest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
