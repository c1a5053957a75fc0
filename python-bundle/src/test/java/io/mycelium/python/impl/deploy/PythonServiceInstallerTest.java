package io.mycelium.python.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which deploy/ files are Python services, and their names. No interpreter needed. */
class PythonServiceInstallerTest {

    private final PythonServiceInstaller installer = new PythonServiceInstaller(null);

    @TempDir
    Path deploy;

    private File zip(final String name, final String entry) throws Exception {
        final Path file = deploy.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write("print('hi')\n".getBytes());
            zip.closeEntry();
        }
        return file.toFile();
    }

    @Test
    void shouldHandlePyFilesAndZipsWithMainWhenDeployed() throws Exception {
        assertTrue(installer.canHandle(Files.writeString(deploy.resolve("ml-model.py"), "").toFile()));
        assertTrue(installer.canHandle(zip("pipeline.zip", "__main__.py")));
        final Path folder = Files.createDirectory(deploy.resolve("alerter"));
        Files.writeString(folder.resolve("__main__.py"), "");
        assertTrue(installer.canHandle(folder.toFile()));
        assertEquals("alerter", PythonServiceInstaller.serviceName(folder.toFile()));
    }

    @Test
    void shouldIgnoreOtherFilesWhenDeployed() throws Exception {
        assertFalse(installer.canHandle(zip("library.zip", "lib/module.py")));
        assertFalse(installer.canHandle(Files.writeString(deploy.resolve("broken.zip"), "not a zip").toFile()));
        assertFalse(installer.canHandle(Files.writeString(deploy.resolve("topology.toml"), "").toFile()));
        assertFalse(installer.canHandle(Files.writeString(deploy.resolve(".hidden.py"), "").toFile()));
        assertFalse(installer.canHandle(Files.createDirectory(deploy.resolve("folder.py")).toFile()));
    }

    @Test
    void shouldNameServiceAfterFileWithoutExtension() {
        assertEquals("python-ml-model", PythonServiceInstaller.serviceName(new File("deploy/python-ml-model.py")));
        assertEquals("pipeline", PythonServiceInstaller.serviceName(new File("pipeline.zip")));
    }
}
