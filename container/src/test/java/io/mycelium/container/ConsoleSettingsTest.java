package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSettingsTest {

    @TempDir
    Path home;

    private NodeLayout layout() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        return NodeLayout.of(home, new LaunchOptions(LaunchOptions.Command.RUN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, false));
    }

    @Test
    void shouldGenerateAndStoreOwnerOnlyPasswordWhenNoneIsConfigured() throws Exception {
        final ConsoleSettings settings = ConsoleSettings.resolve(Map.of("mycelium.console.port", "0"), layout(),
                Map.of());
        final Path file = home.resolve("etc/console.password");
        assertTrue(settings.generated());
        assertEquals(settings.password(), Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(settings.port() > 0, "port 0 resolves to a free port");

        final ConsoleSettings again = ConsoleSettings.resolve(Map.of("mycelium.console.port", "0"), layout(), Map.of());
        assertFalse(again.generated());
        assertEquals(settings.password(), again.password(), "the stored password is reused");
    }

    @Test
    void shouldPreferEnvironmentOverPropertyWhenBothAreSet() throws Exception {
        final ConsoleSettings settings = ConsoleSettings.resolve(Map.of("mycelium.console.port", "0",
                "mycelium.console.password", "from-property"), layout(), Map.of(ConsoleSettings.PASSWORD_ENV, "env"));
        assertEquals("env", settings.password());
        assertEquals(Optional.empty(), settings.passwordFile());
    }

    @Test
    void shouldRefuseStockCredentialsWhenConfigured() throws Exception {
        final NodeLayout layout = layout();
        final LaunchException e = assertThrows(LaunchException.class, () -> ConsoleSettings.resolve(
                Map.of("mycelium.console.port", "0", "mycelium.console.password", "admin"), layout, Map.of()));
        assertTrue(e.getMessage().contains("must not be the stock 'admin'"), e.getMessage());
    }

    @Test
    void shouldReportNoConsoleWhenDisabled() throws Exception {
        final ConsoleSettings settings = ConsoleSettings.resolve(Map.of("mycelium.console.enabled", "false"),
                layout(), Map.of());
        assertEquals("none", settings.url());
    }

    @Test
    void shouldNameTheValueWhenPortIsNotANumber() throws Exception {
        final NodeLayout layout = layout();
        final LaunchException e = assertThrows(LaunchException.class, () -> ConsoleSettings.resolve(
                Map.of("mycelium.console.port", "eighty"), layout, Map.of()));
        assertEquals("mycelium.console.port 'eighty' is not a port number 0-65535", e.getMessage());
    }
}
