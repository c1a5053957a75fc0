package io.mycelium.topology.impl;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names every {@code .jar} in a FileInstall folder ({@code deploy/}) that FileInstall would skip without a word
 * because it is not an OSGi bundle: not a readable zip (a text file, a truncated copy), no manifest, or a manifest
 * without {@code Bundle-SymbolicName}. FileInstall installs a jar as a bundle exactly when its manifest has
 * {@code Bundle-SymbolicName}, so this installer claims only the jars it would ignore, and logs each at ERROR with
 * the reason when it appears or changes. Bundles that fail to install or start are logged by FileInstall itself.
 *
 * <p>Stateless; FileInstall calls it from its scanning thread.
 */
@Component(service = ArtifactInstaller.class)
public final class DeployedJarCheck implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(DeployedJarCheck.class);

    /**
     * @param file a file
     * @return why FileInstall will not install it as a bundle, empty when it is a bundle (or not a {@code .jar})
     */
    static Optional<String> problem(final File file) {
        if (!file.getName().endsWith(".jar") || !file.isFile()) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(file)) {
            final Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle");
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return Optional.of("its manifest has no Bundle-SymbolicName, so it is not an OSGi bundle");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("it is not a readable jar (" + e.getMessage() + "): a corrupt or truncated file, or"
                    + " not a jar at all");
        }
    }

    @Override
    public boolean canHandle(final File artifact) {
        return problem(artifact).isPresent();
    }

    @Override
    public void install(final File artifact) {
        report(artifact);
    }

    @Override
    public void update(final File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(final File artifact) {
        LOG.info("{} removed (it was not installed)", artifact);
    }

    private static void report(final File artifact) {
        problem(artifact).ifPresent(reason -> LOG.error("{} is ignored: {}. Fix: deploy an OSGi bundle (a jar whose "
                + "manifest has Bundle-SymbolicName, e.g. built with bnd), or remove the file", artifact, reason));
    }
}
