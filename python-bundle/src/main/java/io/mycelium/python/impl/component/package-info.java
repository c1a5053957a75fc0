/**
 * The OSGi wiring of the Python host: its DS component, the gate that waits for its configuration, and the
 * schema bundles' Python packages.
 */
package io.mycelium.python.impl.component;
