package io.mycelium.python.impl.deploy;

import java.io.File;
import java.io.IOException;
import java.util.zip.ZipFile;

import org.apache.felix.fileinstall.ArtifactInstaller;

/**
 * Lets FileInstall deploy Python services from {@code deploy/}: a {@code .py} file, a folder with a
 * {@code __main__.py}, or a {@code .zip} with a {@code __main__.py} at its root, becomes the service named after the
 * file (without extension), which runs where the topology places that name ({@link PlacedServices}). Changing the
 * file reloads the service; deleting it stops the service. FileInstall calls these methods from its one watcher
 * thread.
 */
public final class PythonServiceInstaller implements ArtifactInstaller {

    private final PlacedServices services;

    /** @param services the host's deployed services */
    public PythonServiceInstaller(final PlacedServices services) {
        this.services = services;
    }

    @Override
    public boolean canHandle(final File artifact) {
        final String name = artifact.getName();
        if (name.startsWith(".")) {
            return false;
        }
        if (artifact.isDirectory()) {
            return new File(artifact, "__main__.py").isFile();
        }
        if (name.endsWith(".py")) {
            return true;
        }
        if (!name.endsWith(".zip")) {
            return false;
        }
        try (ZipFile zip = new ZipFile(artifact)) {
            return zip.getEntry("__main__.py") != null;
        } catch (final IOException e) {
            return false; // not a readable zip: not a Python service; FileInstall offers it to other installers
        }
    }

    @Override
    public void install(final File artifact) {
        services.deploy(serviceName(artifact), artifact.toPath());
    }

    @Override
    public void update(final File artifact) {
        services.deploy(serviceName(artifact), artifact.toPath());
    }

    @Override
    public void uninstall(final File artifact) {
        services.undeploy(serviceName(artifact));
    }

    /**
     * @param artifact a deployed file
     * @return its name without the extension
     */
    static String serviceName(final File artifact) {
        final String name = artifact.getName();
        final int dot = name.lastIndexOf('.');
        return artifact.isDirectory() || dot <= 0 ? name : name.substring(0, dot);
    }
}
