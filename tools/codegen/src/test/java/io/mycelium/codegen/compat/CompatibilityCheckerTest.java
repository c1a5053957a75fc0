package io.mycelium.codegen.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.parse.ContractsParser;

/** Which contract edits keep old peers working. */
public class CompatibilityCheckerTest {

    public static final String BASE = "messages:\n"
        + "  A:\n    tlv_type: 1000\n    domain: T\n    description: d\n    fields:\n"
        + "      x: {type: u32, description: x}\n"
        + "      s: {type: String, description: s, validation: [{max_length: 8}]}\n"
        + "  B:\n    tlv_type: 1001\n    domain: T\n    description: d\n    fields:\n"
        + "      y: {type: u64, description: y}\n";

    static Contracts parse(final String yaml) {
        return ContractsParser.parse("c.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static CompatibilityReport check(final String newer) {
        return CompatibilityChecker.check(parse(BASE), parse(newer));
    }

    @Test
    void shouldAcceptIdenticalAndAddedMessages() {
        assertTrue(check(BASE + "# comment only\n").compatible());
        final CompatibilityReport added = check(BASE
            + "  C: {tlv_type: 1005, domain: T, description: d, fields: {}}\n");
        assertTrue(added.compatible());
        assertEquals(List.of("message C (type id 1005) added"), added.notes());
    }

    @Test
    void shouldRejectRemovedMessageAndChangedTypeId() {
        final CompatibilityReport report = check(BASE.substring(0, BASE.indexOf("  B:"))
            .replace("tlv_type: 1000", "tlv_type: 1100"));
        assertEquals(List.of("message A: type id changed 1000 -> 1100", "message B (type id 1001) removed"),
            report.problems());
    }

    @Test
    void shouldRejectFieldChanges() {
        assertEquals(List.of("message A: field s type changed String(8) -> String(9)"),
            check(BASE.replace("max_length: 8", "max_length: 9")).problems());
        assertEquals(List.of("message A: field x type changed u32 -> i32"),
            check(BASE.replace("{type: u32", "{type: i32")).problems());
        assertEquals(List.of("message A: field x removed"),
            check(BASE.replace("      x: {type: u32, description: x}\n", "")).problems());
        assertEquals(List.of("message A: fields reordered [x, s] -> [s, x]"),
            check(BASE.replace("      x: {type: u32, description: x}\n", "")
                .replace("  B:\n", "      x: {type: u32, description: x}\n  B:\n")).problems());
        assertEquals(List.of("message B: field z added (u8); this changes the layout"),
            check(BASE + "      z: {type: u8, description: z}\n").problems());
        assertEquals(List.of("message B: topic changed 't' -> 'u'"),
            check(BASE.replace("    tlv_type: 1001\n    domain: T", "    tlv_type: 1001\n    domain: U")).problems());
    }
}
