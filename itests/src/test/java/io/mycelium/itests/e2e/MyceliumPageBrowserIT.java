package io.mycelium.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycelium.testsupport.TestFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Mycelium page of the Web Console as an operator sees it: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code scripts/ensure-prerequisites.sh}) logs into the console of a node
 * that runs the example services and is linked to a second node over a Unix socket, and reads the page as it
 * refreshes itself: types with non-zero rates, the Python services, the link to the other node, and the error count
 * of a Python service whose callback raises. Screenshots go to {@code itests/target/browser/}.
 *
 * <p>One pair of nodes and one browser for the whole class (the methods run in order on them), so it stays short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MyceliumPageBrowserIT {

    /** Debian's paths; {@code -Ditest.chromium} and {@code -Ditest.chromedriver} name others. */
    private static final Path CHROMIUM = Path.of(System.getProperty("itest.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("itest.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "browser");
    /** Bound of every wait for the page to show something: figures flow and refresh within seconds. */
    private static final Duration SHOWN = Duration.ofSeconds(45);
    /**
     * Flags for a closed network: without them Chromium keeps calling home (component updates, sync, QUIC probes)
     * and floods the log with refused connections.
     */
    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000");

    private Path tmp;
    private DistributionNode feed;
    private DistributionNode sink;
    private WebDriver browser;
    private Path profile;

    @BeforeAll
    void startNodesAndBrowser() throws IOException {
        for (final Path needed : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(needed)) {
                throw new AssertionError(needed + " is missing: the browser test needs Debian's chromium and "
                        + "chromium-driver; run scripts/ensure-prerequisites.sh (as root or with sudo) to install them");
            }
        }
        tmp = Files.createTempDirectory("mycelium-browser-");
        final Path topology = TestFiles.writeAtomically(tmp.resolve("topology.toml"), String.join("\n",
                "socket_dir = \"" + tmp.resolve("sock") + "\"",
                "[[nodes]]", "name = \"feed\"", "services = [\"java-market-feed\", \"java-signal-monitor\"]",
                "endpoint.kind = \"unix\"",
                "[[nodes]]", "name = \"sink\"",
                "services = [\"java-recorder\", \"market_consumer\", \"raises_markup\"]",
                "endpoint.kind = \"unix\"", ""));
        sink = node("sink", topology).start();
        feed = node("feed", topology).start();
        sink.awaitReady();
        feed.awaitReady();
        sink.deploy(ExampleServices.shipped("market_consumer.py"), "market_consumer.py");
        browser = startBrowser();
    }

    @AfterAll
    void stopAll() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try (DistributionNode a = feed; DistributionNode b = sink) {
                // closed by try-with-resources, even if one of them fails to stop
            }
            if (tmp != null) {
                TestFiles.deleteRecursively(tmp);
            }
            if (profile != null) {
                TestFiles.deleteRecursively(profile);
            }
        }
    }

    @Test
    @Order(1)
    void shouldShowNonZeroTypeRatesWhenExamplesPublish() throws IOException {
        final String html = sink.console("/mycelium").body();
        assertTrue(html.contains("<table class=\"nicetable mycelium-table\" id=\"types\">")
                && html.contains("<td data-col=\"type\""), "the page is readable without script: " + html);
        final String json = sink.console("/mycelium/data.json").body();
        assertTrue(json.startsWith("{\"node\":\"sink\"") && json.contains("\"id\":\"types\""), json);
        logInAndOpenPage();
        final Object marker = ((JavascriptExecutor) browser).executeScript(
                "window.myceliumTestMarker = 'not reloaded'; return document.getElementById('mycelium-taken')"
                        + ".textContent;");
        openTab("types");
        awaitRow("types", "a type with a non-zero rate", row -> row.entrySet().stream()
                .anyMatch(cell -> cell.getKey().endsWith("_rate") && number(cell.getValue()) > 0));
        awaitTrue("the page refreshed itself (figures newer than " + marker + ") without a reload", () ->
                "not reloaded".equals(script("return window.myceliumTestMarker;"))
                        && !String.valueOf(marker).equals(script(
                        "return document.getElementById('mycelium-taken').textContent;")));
        screenshot("mycelium-types");
    }

    @Test
    @Order(2)
    void shouldListPythonServicesWhenDeployed() throws IOException {
        openTab("python");
        awaitRow("python-services", "market_consumer listed", row -> "market_consumer".equals(row.get("service")));
        screenshot("mycelium-python");
    }

    @Test
    @Order(3)
    void shouldShowLinkWhenSecondNodeConnects() throws IOException {
        openTab("links");
        awaitRow("links", "a connected link to node feed",
                row -> "feed".equals(row.get("peer")) && "connected".equals(row.get("state")));
        screenshot("mycelium-links");
    }

    @Test
    @Order(4)
    void shouldCountPythonErrorsAndShowTracebackAsTextWhenCallbackRaises() throws IOException {
        ExampleServices.deployResource(sink, "e2e/console/raises_markup.py", "raises_markup.py");
        openTab("python");
        final Map<String, String> first = awaitRow("python-services", "raises_markup with errors",
                row -> "raises_markup".equals(row.get("service")) && number(row.get("errors")) > 0);
        final double before = number(first.get("errors"));
        final Map<String, String> later = awaitRow("python-services", "raises_markup's errors rising past "
                + before, row -> "raises_markup".equals(row.get("service")) && number(row.get("errors")) > before);
        assertTrue(later.getOrDefault("last_traceback", "").contains(
                "<script>window.myceliumInjected = true</script><b>not bold</b> ${head.cssLinks}"),
                "the last traceback is shown as text, markup and all: " + later);
        screenshot("mycelium-python-errors");

        browser.navigate().refresh();
        openTab("python");
        awaitRow("python-services", "raises_markup after a reload", row -> "raises_markup".equals(row.get("service"))
                && row.getOrDefault("last_traceback", "").contains("<b>not bold</b>"));
        assertEquals(null, script("return window.myceliumInjected;"), "a service's text never runs as script");
        assertTrue(browser.findElements(By.cssSelector("#python-services b")).isEmpty(),
                "a service's text never becomes markup");
        openTab("overview");
        screenshot("mycelium-overview");
    }

    private void logInAndOpenPage() {
        // The console asks for HTTP basic authentication: credentials in the first URL log in, after which the
        // browser answers the console's challenges (and the page's script's requests) from its cache.
        final String console = sink.consoleUrl();
        final String withCredentials = console.replaceFirst("://", "://admin:" + sink.password() + "@");
        browser.get(withCredentials + "/mycelium");
        browser.get(console + "/mycelium");
        awaitTrue("the Mycelium page is shown (title " + browser.getTitle() + ")",
                () -> !browser.findElements(By.id("mycelium")).isEmpty());
        assertEquals(1, browser.findElements(By.cssSelector("ul.mycelium-tabs")).size(), "one tab bar");
    }

    private void openTab(final String id) {
        browser.findElement(By.cssSelector("ul.mycelium-tabs a[data-tab='" + id + "']")).click();
        awaitTrue("tab " + id + " shown", () -> browser.findElement(By.id("mycelium-" + id)).isDisplayed());
    }

    /**
     * Waits until a row of a shown table satisfies {@code condition}, reading the table as the page shows it after
     * its refreshes (cells by their {@code data-col}).
     */
    private Map<String, String> awaitRow(final String table, final String what,
                                         final Predicate<Map<String, String>> condition) {
        final AtomicReference<Map<String, String>> found = new AtomicReference<>();
        try {
            awaitTrue(what + " in table " + table, () -> {
                assertTrue(browser.findElement(By.id(table)).isDisplayed(), "table " + table + " is shown");
                rows(table).stream().filter(condition).findFirst().ifPresent(found::set);
                return found.get() != null;
            });
        } catch (final AssertionError e) {
            throw new AssertionError(e.getMessage() + "; table " + table + " shows " + rows(table)
                    + "; status line: " + script("return document.getElementById('mycelium-live').textContent;"), e);
        }
        return found.get();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> rows(final String table) {
        return (List<Map<String, String>>) script("var rows = [];"
                + "document.querySelectorAll('#" + table + " tbody tr:not(.mycelium-empty)').forEach(function (tr) {"
                + "  var row = {}; tr.querySelectorAll('td').forEach(function (td) {"
                + "    row[td.getAttribute('data-col')] = td.textContent; }); rows.push(row); });"
                + "return rows;");
    }

    private Object script(final String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void awaitTrue(final String what, final java.util.function.BooleanSupplier condition) {
        try {
            new WebDriverWait(browser, SHOWN, Duration.ofMillis(200)).ignoring(AssertionError.class)
                    .until(driver -> condition.getAsBoolean());
        } catch (final TimeoutException e) {
            throw new AssertionError("not shown within " + SHOWN.toSeconds() + " s: " + what + "; sink output:\n"
                    + sink.output(), e);
        }
    }

    private static double number(final String text) {
        try {
            return text == null ? 0 : Double.parseDouble(text.replace(",", "").trim());
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    private void screenshot(final String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        final Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.move(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebDriver startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory(SCREENSHOTS, "profile-");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(CHROMIUM_FLAGS);
        options.addArguments("--user-data-dir=" + profile.toAbsolutePath());
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** A node of the topology whose deploy folder holds the example protocol and Java services. */
    private DistributionNode.Builder node(final String name, final Path topology) throws IOException {
        final Path deploy = Files.createDirectories(tmp.resolve(name + "-deploy"));
        for (final String jar : List.of("examples.jar", "examples-services.jar")) {
            Files.copy(ExampleServices.shipped(jar), deploy.resolve(jar));
        }
        return DistributionNode.builder().node(name).topology(topology).deploy(deploy).data(tmp.resolve(name + "-data"));
    }
}
