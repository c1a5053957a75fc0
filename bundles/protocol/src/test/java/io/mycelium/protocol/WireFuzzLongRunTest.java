package io.mycelium.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The long fuzz run of the decoders, only in the {@code fuzz} profile (scripts/fuzz.sh), which sets
 * {@code mycelium.fuzz.inputs} (inputs per target) and optionally {@code mycelium.fuzz.seed}. Writes its figures to
 * target/fuzz-report.txt.
 */
@Tag("long-fuzz")
@EnabledIfSystemProperty(named = "mycelium.fuzz.inputs", matches = "[0-9]+")
class WireFuzzLongRunTest {

    @Test
    void shouldFindNothingWhenDecodersRunMillionsOfMutatedInputs() throws IOException {
        final long inputs = Long.getLong("mycelium.fuzz.inputs");
        final long seed = Long.getLong("mycelium.fuzz.seed", System.currentTimeMillis());
        final List<WireFuzz.Result> results = new WireFuzz(WireSeeds.load(), seed).run(inputs);
        final long total = results.stream().mapToLong(WireFuzz.Result::inputs).sum();
        final long millis = results.stream().mapToLong(WireFuzz.Result::millis).sum();
        final String report = "seed " + seed + "\n" + results.stream().map(Object::toString)
                .collect(Collectors.joining("\n")) + String.format("%ntotal %,d inputs in %,d ms%n", total, millis);
        Files.writeString(Path.of("target/fuzz-report.txt"), report, StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(0, results.stream().mapToLong(WireFuzz.Result::failures).sum(), report);
    }
}
