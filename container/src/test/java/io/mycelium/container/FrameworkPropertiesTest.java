package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkPropertiesTest {

    @TempDir
    Path home;

    private NodeLayout layout() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        return NodeLayout.of(home, new LaunchOptions(LaunchOptions.Command.RUN, Optional.empty(), Optional.empty(),
                Optional.of(home.resolve("d")), Optional.empty(), Optional.empty(), false, false));
    }

    @Test
    void shouldExpandLauncherVariablesWhenReferenced() throws Exception {
        final NodeLayout layout = layout();
        Files.writeString(home.resolve("etc/config.properties"), "felix.fileinstall.dir=${mycelium.etc},${mycelium.deploy}\n"
                + "a=${b}/x\nb=${mycelium.data}\n");
        final Map<String, String> properties = FrameworkProperties.load(layout, Map.of());
        assertEquals(layout.etc() + "," + layout.deploy(), properties.get("felix.fileinstall.dir"));
        assertEquals(layout.data() + "/x", properties.get("a"));
    }

    @Test
    void shouldLetOverridesWinWhenBothSet() throws Exception {
        final NodeLayout layout = layout();
        Files.writeString(home.resolve("etc/config.properties"), "mycelium.console.port=8181\n");
        assertEquals("9000", FrameworkProperties.load(layout, Map.of("mycelium.console.port", "9000"))
                .get("mycelium.console.port"));
    }

    @Test
    void shouldNameTheKeyWhenReferenceIsUndefined() throws Exception {
        final NodeLayout layout = layout();
        Files.writeString(home.resolve("etc/config.properties"), "x=${nowhere}\n");
        final LaunchException e = assertThrows(LaunchException.class, () -> FrameworkProperties.load(layout, Map.of()));
        assertEquals("etc/config.properties: 'x' refers to ${nowhere}, which is not defined", e.getMessage());
    }

    @Test
    void shouldDetectCycleWhenReferencesLoop() throws Exception {
        final NodeLayout layout = layout();
        Files.writeString(home.resolve("etc/config.properties"), "x=${y}\ny=${x}\n");
        final LaunchException e = assertThrows(LaunchException.class, () -> FrameworkProperties.load(layout, Map.of()));
        assertTrue(e.getMessage().contains("nest too deep"), e.getMessage());
    }

    @Test
    void shouldNameTheFileWhenItIsMissing() throws Exception {
        final NodeLayout layout = layout();
        final LaunchException e = assertThrows(LaunchException.class, () -> FrameworkProperties.load(layout, Map.of()));
        assertTrue(e.getMessage().startsWith("cannot read " + home.resolve("etc/config.properties")), e.getMessage());
    }
}
