package io.mycelium.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.mycelium.itests.osgi.fixture.ContextConsumer;

import org.ops4j.pax.exam.Option;

/**
 * Builds a fixture bundle holding one DS component, {@link ContextConsumer}, that references
 * {@code ServiceContext} with {@code target = "(mycelium.service=<service>)"} and provides {@code Runnable} with the
 * property {@value #SERVICE_PROPERTY}{@code =<service>}: a Java service that activates only where the topology puts
 * it. Runs in the test driver, before the framework starts.
 */
final class ContextConsumerBundle {

    /** Property of the fixture's Runnable service: the service name it was placed as. */
    static final String SERVICE_PROPERTY = "fixture.service";

    private ContextConsumerBundle() {
    }

    /**
     * @param dir     where to write the jar
     * @param service the service name the component references
     * @return the option provisioning the fixture bundle
     */
    static Option forService(final Path dir, final String service) {
        final String name = "io.mycelium.itests.fixture." + service;
        final Manifest manifest = new Manifest();
        final Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", name);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "io.mycelium.api");
        main.putValue("Service-Component", "OSGI-INF/component.xml");
        final String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%1$s" immediate="true">
                  <implementation class="%2$s"/>
                  <service><provide interface="java.lang.Runnable"/></service>
                  <property name="%3$s" value="%4$s"/>
                  <reference name="context" interface="io.mycelium.api.ServiceContext" bind="bind"
                             target="(mycelium.service=%4$s)"/>
                </scr:component>
                """.formatted(name, ContextConsumer.class.getName(), SERVICE_PROPERTY, service);
        final String classFile = ContextConsumer.class.getName().replace('.', '/') + ".class";
        final Path jar = dir.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
             InputStream bytes = ContextConsumer.class.getClassLoader().getResourceAsStream(classFile)) {
            zip.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
            zip.write(xml.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fixture bundle " + jar, e);
        }
        return bundle(jar.toUri().toString());
    }
}
