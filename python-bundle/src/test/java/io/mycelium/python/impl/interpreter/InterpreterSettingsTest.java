package io.mycelium.python.impl.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mycelium.python.impl.jni.NativeLibrary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** python.library and python.executable are checked before CPython starts, with messages naming the setting. */
class InterpreterSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseBuildInterpreterWhenNothingIsConfigured() {
        final InterpreterSettings config = InterpreterSettings.of(null, " ", List.of());
        assertEquals(NativeLibrary.buildProperties().getProperty("python.executable"), config.executable());
    }

    @Test
    void shouldNameSettingWhenExecutableDoesNotExist() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InterpreterSettings.of(null, dir.resolve("venv/bin/python").toString(), List.of()));
        assertTrue(e.getMessage().startsWith("python.executable " + dir.resolve("venv/bin/python")
                + " is not an executable file"), e.getMessage());
    }

    @Test
    void shouldRefuseExecutableWhenItIsNotExecutable() throws Exception {
        final Path plain = Files.writeString(dir.resolve("python"), "not a program");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InterpreterSettings.of(null, plain.toString(), List.of()));
        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
    }

    @Test
    void shouldNameSettingWhenLibraryDoesNotExist() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InterpreterSettings.of(dir.resolve("libpython.so").toString(), null, List.of()));
        assertTrue(e.getMessage().startsWith("python.library"), e.getMessage());
    }
}
