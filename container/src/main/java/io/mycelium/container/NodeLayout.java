package io.mycelium.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of one running node: the distribution's read-mostly {@code etc/} and {@code system/}, and the
 * instance's own {@code deploy/} and {@code data/}, so that several instances can run from one distribution.
 *
 * @param home    the distribution
 * @param etc     framework properties and {@code *.cfg} files
 * @param system  the system bundles
 * @param deploy  the watched folder
 * @param data    this instance's folder
 */
record NodeLayout(Path home, Path etc, Path system, Path deploy, Path data) {

    /**
     * Resolves the layout from the distribution home and the command-line options.
     *
     * @param home    the distribution
     * @param options the options
     * @return absolute, normalised paths
     */
    static NodeLayout of(final Path home, final LaunchOptions options) {
        final Path absoluteHome = home.toAbsolutePath().normalize();
        return new NodeLayout(absoluteHome, absoluteHome.resolve("etc"), absoluteHome.resolve("system"),
                options.deploy().orElse(absoluteHome.resolve("deploy")).toAbsolutePath().normalize(),
                options.data().orElse(absoluteHome.resolve("data")).toAbsolutePath().normalize());
    }

    /** @return the Felix bundle cache of this instance */
    Path cache() {
        return data.resolve("cache");
    }

    /** @return the temporary folder of this instance */
    Path tmp() {
        return data.resolve("tmp");
    }

    /**
     * Checks that the distribution folders are readable and creates the instance folders.
     *
     * @throws LaunchException naming the folder that is missing or unusable
     */
    void prepare() throws LaunchException {
        requireReadableDirectory(etc, "etc/ of the distribution");
        requireReadableDirectory(system, "system/ of the distribution");
        for (final Path dir : new Path[] {deploy, data, tmp()}) {
            try {
                Files.createDirectories(dir);
            } catch (final IOException e) {
                throw new LaunchException("cannot create " + dir + ": " + e + " (choose another folder with --deploy"
                        + " or --data)", e);
            }
            if (!Files.isWritable(dir)) {
                throw new LaunchException(dir + " is not writable (choose another folder with --deploy or --data)");
            }
        }
    }

    private static void requireReadableDirectory(final Path dir, final String what) throws LaunchException {
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            throw new LaunchException(what + " is missing or unreadable: " + dir
                    + " (is mycelium.home set to an unpacked distribution?)");
        }
    }
}
