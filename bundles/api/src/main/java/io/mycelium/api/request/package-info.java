/**
 * Request/response built on the bus's publish/subscribe: {@link io.mycelium.api.request.RequestClient} correlates
 * a response with its request and times out when none comes.
 */
@Export
@Version("1.0.0")
package io.mycelium.api.request;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
