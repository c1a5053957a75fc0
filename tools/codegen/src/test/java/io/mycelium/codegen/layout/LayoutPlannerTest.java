package io.mycelium.codegen.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Padding;
import io.mycelium.codegen.parse.ContractsParser;

/** C repr layout: offsets, padding runs and sizes (checked against gcc for the same structs). */
class LayoutPlannerTest {

    private static Contracts contracts;

    @BeforeAll
    static void parse() {
        contracts = ContractsParser.parse(Path.of("src/test/resources/all-types.yaml"));
    }

    private static MessageDef message(final String name) {
        return contracts.messages().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Integer> offsets(final MessageDef message) {
        return message.fields().stream().map(FieldDef::offset).toList();
    }

    @Test
    void shouldLayOutOriginalExampleMessagesLikeRust() {
        assertEquals(312, message("TextMessage").size());
        assertEquals(List.of(0, 40, 304), offsets(message("TextMessage")));
        assertEquals(16, message("CounterUpdate").size());
        assertEquals(List.of(0, 8, 12), offsets(message("CounterUpdate")));
        assertEquals(224, message("BatchOperation").size());
        assertEquals(List.of(0, 8, 216), offsets(message("BatchOperation")));
        assertEquals(List.of(new Padding(220, 4)), message("BatchOperation").paddings());
    }

    @Test
    void shouldAlignEveryScalarNaturally() {
        final MessageDef scalars = message("AllScalars");
        assertEquals(List.of(0, 8, 16, 18, 20, 24, 28, 32, 40, 48, 56, 64), offsets(scalars));
        assertEquals(List.of(new Padding(1, 7), new Padding(17, 1), new Padding(22, 2), new Padding(33, 7),
            new Padding(52, 4), new Padding(65, 7)), scalars.paddings());
        assertEquals(72, scalars.size());
        assertEquals(8, scalars.align());
    }

    @Test
    void shouldAlignArraysByElementAndRoundOddVectors() {
        final MessageDef arrays = message("AllArrays");
        assertEquals(List.of(0, 1, 33, 40, 56, 72, 78, 84, 92, 96, 112, 128), offsets(arrays));
        assertEquals(136, arrays.size());
        final MessageDef vectors = message("AllVectors");
        // tiny: String(3) = 8+3 -> 12; flag at 12; name at 14 (40); blob 54 (24); odd_blob 78 (14);
        // keys 92 (8+12=20); more 112 (8+64=72); score 184; last 192; size 200
        assertEquals(List.of(0, 12, 14, 54, 78, 92, 112, 184, 192), offsets(vectors));
        assertEquals(List.of(new Padding(13, 1), new Padding(193, 7)), vectors.paddings());
        assertEquals(200, vectors.size());
        assertEquals(0, message("Empty").size());
    }

    @Test
    void shouldDeriveTopicLikeTheOriginal() {
        assertEquals("market-data", LayoutPlanner.topic("MarketData"));
        assertEquals("examples", LayoutPlanner.topic("Examples"));
        assertEquals("l2market-datafeed", LayoutPlanner.topic("L2MarketDataFeed"));
    }
}
