package io.mycelium.itests.e2e;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Web Console's {@code bundles.json}: the bundle summary line and single bundle entries.
 */
final class ConsoleBundles {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) bundles in total - all (\\d+) bundles active");

    private final String json;

    ConsoleBundles(final String json) {
        this.json = json;
    }

    /** @return whether every installed bundle is active (fragments count as active in the console's summary) */
    boolean allActive() {
        final Matcher matcher = SUMMARY.matcher(json);
        return matcher.find() && matcher.group(1).equals(matcher.group(2));
    }

    /**
     * @param symbolicName a bundle symbolic name
     * @return the console's JSON object of that bundle, if installed
     */
    Optional<Entry> bundle(final String symbolicName) {
        final Matcher matcher = Pattern.compile("\\{[^{}]*\"symbolicName\":\"" + Pattern.quote(symbolicName)
                + "\"[^{}]*}").matcher(json);
        return matcher.find() ? Optional.of(new Entry(matcher.group())) : Optional.empty();
    }

    /** One bundle's entry. */
    record Entry(String json) {
        long id() {
            return Long.parseLong(field("\"id\":(\\d+)"));
        }

        String state() {
            return field("\"state\":\"([^\"]+)\"");
        }

        String version() {
            return field("\"version\":\"([^\"]+)\"");
        }

        private String field(final String regex) {
            final Matcher matcher = Pattern.compile(regex).matcher(json);
            if (!matcher.find()) {
                throw new AssertionError("no " + regex + " in " + json);
            }
            return matcher.group(1);
        }
    }
}
