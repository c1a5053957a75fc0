package io.mycelium.itests.osgi;

import static org.junit.Assert.assertEquals;

import io.mycelium.api.Schema;
import io.mycelium.examples.protocol.ExamplesSchema;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The built example protocol bundle with api, protocol and SCR in Felix: it must resolve, start, and register its
 * Schema service carrying the digest property.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExamplesBundleIT extends MyceliumTestBase {

    @Override
    protected Option[] fixtures() {
        return new Option[] {extraBundle("examples")};
    }

    @Test
    public void shouldResolveAndRegisterSchemaServiceWhenInstalledWithScr() throws Exception {
        final Bundle bundle = installedBundle("io.mycelium.examples");
        assertEquals(Bundle.ACTIVE, bundle.getState());
        final String filter = "(" + Schema.DIGEST_PROPERTY + "=" + ExamplesSchema.DIGEST_HEX + ")";
        awaitService(Schema.class, filter);
        final ServiceReference<?>[] references = context.getServiceReferences(Schema.class.getName(), filter);
        assertEquals(1, references.length);
        assertEquals(bundle, references[0].getBundle());
    }
}
