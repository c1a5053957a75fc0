package io.mycelium.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The node's core stack resolves and runs in a real Felix: every provisioned bundle is active, the API is exported
 * at its version, and ConfigAdmin keeps configurations.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreStackIT extends MyceliumTestBase {

    @Test
    public void shouldStartEveryCoreBundleWhenProvisioned() {
        for (final Bundle bundle : context.getBundles()) {
            final boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (!fragment) {
                awaitTrue(bundle.getSymbolicName() + " active", () -> bundle.getState() == Bundle.ACTIVE);
            }
        }
    }

    @Test
    public void shouldExportTheApiPackageAtItsVersionWhenInstalled() {
        final String exports = installedBundle("io.mycelium.api").getHeaders().get("Export-Package");
        assertTrue(exports, exports.contains("io.mycelium.api;version=\"2."));
    }

    @Test
    public void shouldKeepConfigurationWhenUpdatedThroughConfigAdmin() throws Exception {
        final ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        final Configuration configuration = admin.getConfiguration("io.mycelium.itests.core", "?");
        final Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("answer", 42);
        configuration.update(properties);
        assertEquals(42, admin.getConfiguration("io.mycelium.itests.core", "?").getProperties().get("answer"));
        configuration.delete();
    }
}
