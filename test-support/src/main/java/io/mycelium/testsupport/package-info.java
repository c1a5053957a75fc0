/**
 * Shared fakes and fixtures for tests and benchmarks: the loopback bus, a raw schema, bounded waits, free ports and
 * file helpers, a capture of log lines, TLS test certificates. Test code only; never deployed to a node.
 */
@Export
@Version("1.0.0")
package io.mycelium.testsupport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
