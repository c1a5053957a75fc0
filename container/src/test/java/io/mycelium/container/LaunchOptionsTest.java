package io.mycelium.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void shouldRunWhenNoArgumentsAreGiven() throws Exception {
        final LaunchOptions options = LaunchOptions.parse(new String[0], true);
        assertEquals(LaunchOptions.Command.RUN, options.command());
        assertTrue(options.interactive());
        assertEquals(Optional.empty(), options.node());
    }

    @Test
    void shouldReadEveryRunOptionWhenGiven() throws Exception {
        final LaunchOptions options = LaunchOptions.parse(new String[] {"run", "--node", "gw-1", "--topology",
            "t.toml", "--deploy", "d", "--data", "x", "--console-port", "0", "--nointeractive"}, true);
        assertEquals(Optional.of("gw-1"), options.node());
        assertEquals(Optional.of(Path.of("t.toml")), options.topology());
        assertEquals(Optional.of(Path.of("d")), options.deploy());
        assertEquals(Optional.of(Path.of("x")), options.data());
        assertEquals(Optional.of(0), options.consolePort());
        assertFalse(options.interactive());
    }

    @Test
    void shouldDisableConsoleWhenPortIsOff() throws Exception {
        assertTrue(LaunchOptions.parse(new String[] {"--console-port", "off"}, false).consoleOff());
    }

    @Test
    void shouldNotBeInteractiveWhenThereIsNoTerminal() throws Exception {
        assertFalse(LaunchOptions.parse(new String[] {"run"}, false).interactive());
    }

    @Test
    void shouldRejectUnknownOptionWhenParsing() {
        final UsageException e = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"run", "--frobnicate"}, false));
        assertEquals("unknown option '--frobnicate'", e.getMessage());
    }

    @Test
    void shouldRejectMissingValueWhenOptionNeedsOne() {
        final UsageException e = assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--node"}, false));
        assertEquals("--node needs a value", e.getMessage());
    }

    @Test
    void shouldRejectBadPortWhenParsing() {
        assertEquals("--console-port 70000 is out of range 0-65535", assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--console-port", "70000"}, false)).getMessage());
        assertEquals("--console-port needs a number or 'off' but got 'http'", assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"--console-port", "http"}, false)).getMessage());
    }

    @Test
    void shouldRejectUnknownCommandAndOptionsOfVersion() {
        assertEquals("unknown command 'launch'", assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"launch"}, false)).getMessage());
        assertEquals("'version' takes no options but got '--node'", assertThrows(UsageException.class,
                () -> LaunchOptions.parse(new String[] {"version", "--node"}, false)).getMessage());
    }
}
