package io.mycelium.python.impl.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;

import org.osgi.framework.Bundle;

/**
 * Copies a folder of a bundle (its Python packages) to the file system, where CPython can import it. Stateless.
 */
final class BundleResources {

    private BundleResources() {
    }

    /**
     * Copies every file under {@code folder} of {@code bundle} to {@code target}, keeping relative paths.
     *
     * @param bundle the bundle
     * @param folder the folder inside the bundle, for example {@code python}
     * @param target the directory to create and fill
     * @return whether the bundle has the folder
     * @throws UncheckedIOException if a file cannot be copied
     */
    static boolean extract(final Bundle bundle, final String folder, final Path target) {
        final Enumeration<URL> entries = bundle.findEntries(folder, "*", true);
        if (entries == null) {
            return false;
        }
        final String prefix = "/" + folder + "/";
        try {
            while (entries.hasMoreElements()) {
                final URL entry = entries.nextElement();
                final String path = entry.getPath();
                if (path.endsWith("/") || !path.startsWith(prefix) || path.contains("__pycache__")) {
                    continue;
                }
                final Path file = target.resolve(path.substring(prefix.length())).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("bundle entry " + path + " escapes " + target);
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = entry.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy " + folder + "/ of bundle " + bundle.getSymbolicName()
                    + " to " + target, e);
        }
        return true;
    }
}
