package io.mycelium.python.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** python.library and python.executable are checked before CPython starts, with messages naming the setting. */
class PythonHostConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseBuildInterpreterWhenNothingIsConfigured() {
        final PythonHostConfig config = PythonHostConfig.of(null, " ", List.of());
        assertEquals(NativeLibrary.buildProperties().getProperty("python.executable"), config.executable());
    }

    @Test
    void shouldNameSettingWhenExecutableDoesNotExist() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PythonHostConfig.of(null, dir.resolve("venv/bin/python").toString(), List.of()));
        assertTrue(e.getMessage().startsWith("python.executable " + dir.resolve("venv/bin/python")
                + " is not an executable file"), e.getMessage());
    }

    @Test
    void shouldRefuseExecutableWhenItIsNotExecutable() throws Exception {
        final Path plain = Files.writeString(dir.resolve("python"), "not a program");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PythonHostConfig.of(null, plain.toString(), List.of()));
        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
    }

    @Test
    void shouldNameSettingWhenLibraryDoesNotExist() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PythonHostConfig.of(dir.resolve("libpython.so").toString(), null, List.of()));
        assertTrue(e.getMessage().startsWith("python.library"), e.getMessage());
    }
}
