package io.mycelium.container;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code etc/config.properties}, expands {@code ${name}} references and applies the overrides that the
 * command line and {@code -D} system properties give, producing the framework launch properties.
 */
final class FrameworkProperties {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");
    private static final String[] SYSTEM_OVERRIDE_PREFIXES = {
        "org.osgi.", "felix.", "org.apache.felix.", "gosh.", "mycelium.", "obr."
    };

    private FrameworkProperties() {
    }

    /**
     * Loads the framework properties of a node.
     *
     * @param layout    the node's folders
     * @param overrides values that win over the file (from the command line)
     * @return the properties, references expanded
     * @throws LaunchException if {@code etc/config.properties} is missing, unreadable or malformed
     */
    static Map<String, String> load(final NodeLayout layout, final Map<String, String> overrides)
            throws LaunchException {
        final Path file = layout.etc().resolve("config.properties");
        final Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (final IOException | IllegalArgumentException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        final Map<String, String> properties = new TreeMap<>();
        properties.put("mycelium.home", layout.home().toString());
        properties.put("mycelium.etc", layout.etc().toString());
        properties.put("mycelium.data", layout.data().toString());
        properties.put("mycelium.deploy", layout.deploy().toString());
        raw.stringPropertyNames().forEach(name -> properties.put(name, raw.getProperty(name).trim()));
        System.getProperties().stringPropertyNames().stream()
                .filter(FrameworkProperties::isOverridable)
                .forEach(name -> properties.put(name, System.getProperty(name)));
        properties.putAll(overrides);
        final Map<String, String> expanded = new TreeMap<>();
        for (final Map.Entry<String, String> entry : properties.entrySet()) {
            expanded.put(entry.getKey(), expand(entry.getKey(), entry.getValue(), properties, 0));
        }
        return expanded;
    }

    private static boolean isOverridable(final String name) {
        for (final String prefix : SYSTEM_OVERRIDE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String expand(final String key, final String value, final Map<String, String> properties,
                                 final int depth) throws LaunchException {
        if (depth > 8) {
            throw new LaunchException("etc/config.properties: ${...} references of '" + key + "' nest too deep"
                    + " (a reference cycle?)");
        }
        final Matcher matcher = REFERENCE.matcher(value);
        final StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            final String name = matcher.group(1);
            final String replacement = properties.getOrDefault(name, System.getProperty(name));
            if (replacement == null) {
                throw new LaunchException("etc/config.properties: '" + key + "' refers to ${" + name
                        + "}, which is not defined");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(expand(name, replacement, properties, depth + 1)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
