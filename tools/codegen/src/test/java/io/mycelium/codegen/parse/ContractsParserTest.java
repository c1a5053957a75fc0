package io.mycelium.codegen.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.FieldDef;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Scalar;

/** Parsing contracts.yaml: keys, defaults, and one test per kind of bad input with its exact message and line. */
class ContractsParserTest {

    private static Contracts parse(final String yaml) {
        return ContractsParser.parse("c.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static ContractsException fail(final String yaml) {
        return assertThrows(ContractsException.class, () -> parse(yaml));
    }

    /** One message M (type 1000) with the given field lines (indented by the caller to 6 spaces). */
    private static String message(final String fields) {
        return "messages:\n"
            + "  M:\n"
            + "    tlv_type: 1000\n"
            + "    domain: Test\n"
            + "    description: d\n"
            + "    fields:\n"
            + fields;
    }

    private static FieldType onlyFieldType(final String type, final String validation) {
        final Contracts contracts = parse(message("      f:\n        type: \"" + type + "\"\n"
            + "        description: x\n" + validation));
        return contracts.messages().get(0).fields().get(0).type();
    }

    @Test
    void shouldReadKeysAndIgnoreUnknownOnes() {
        final Contracts contracts = parse("schema_version: v1\nschema:\n  id: 0x4D594345\n  version: 3\n"
            + "  digest_algo: sha256\ndomains: {x: 1}\n"
            + "messages:\n  Tick:\n    tlv_type: 0x4B0\n    domain: MarketData\n    description: A tick\n"
            + "    sensitivity: high\n    fields:\n      price:\n        type: f64\n        description: p\n"
            + "        optional: true\n        rust_type: f64\n");
        assertEquals("0x4D594345", contracts.schemaId());
        assertEquals(3, contracts.version());
        assertEquals(3, contracts.minCompatible());
        final MessageDef tick = contracts.messages().get(0);
        assertEquals(1200, tick.typeId());
        assertEquals("market-data", tick.topic());
        assertEquals("A tick", tick.description());
        assertEquals(8, tick.line());
        final FieldDef price = tick.fields().get(0);
        assertTrue(price.optional());
        assertEquals(14, price.line());
        assertEquals(new FieldType(FieldType.Kind.SCALAR, Scalar.F64, 0, 0), price.type());
    }

    @Test
    void shouldTakeDigestOverExactFileBytes() throws Exception {
        final String yaml = message("      f: {type: u8, description: x}\n") + "# a comment changes the digest\n";
        final byte[] expected = MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, parse(yaml).digest());
    }

    @Test
    void shouldApplyDefaultCapacitiesAndMaxLength() {
        assertEquals(32, onlyFieldType("String", "").capacity());
        assertEquals(16, onlyFieldType("Vec<u8>", "").capacity());
        assertEquals(4, onlyFieldType("Vec<[u8; 20]>", "").capacity());
        assertEquals(20, onlyFieldType("Vec<[u8;20]>", "").length());
        assertEquals(7, onlyFieldType("String", "        validation:\n          - max_length: 7\n").capacity());
        assertEquals(10, onlyFieldType("Vec<[u8; 20]>",
            "        validation:\n          - min_length: 1\n          - max_length: 10\n").capacity());
        assertEquals(9, onlyFieldType("Vec<u8>", "        validation: {max_length: 9}\n").capacity());
        assertEquals(new FieldType(FieldType.Kind.BYTES, null, 32, 0), onlyFieldType("U256", ""));
        assertEquals(new FieldType(FieldType.Kind.ARRAY, Scalar.F32, 0 + 16, 0), onlyFieldType("[f32; 16]", ""));
        assertEquals(new FieldType(FieldType.Kind.BYTES, null, 6, 0), onlyFieldType("[u8 ; 6]", ""));
    }

    @Test
    void shouldIgnoreUnknownValidationRules() {
        assertEquals(32, onlyFieldType("String", "        validation:\n          - known_chain: true\n"
            + "          - no_0x_prefix: true\n").capacity());
    }

    @Test
    void shouldSortMessagesByTypeIdAndWarnOutsideAppRange() {
        final Contracts contracts = parse("tag_ranges:\n  core: \"1-999\"\n  app: \"1000-1999\"\n"
            + "  experimental: \"50000-65535\"\nmessages:\n"
            + "  B: {tlv_type: 50001, domain: T, description: d, fields: {}}\n"
            + "  A: {tlv_type: 2500, domain: T, description: d, fields: {}}\n"
            + "  C: {tlv_type: 1000, domain: T, description: d, fields: {}}\n");
        assertEquals(List.of("C", "A", "B"), contracts.messages().stream().map(MessageDef::name).toList());
        assertEquals(List.of("c.yaml:6: message B: type id 50001 is in the experimental range",
            "c.yaml:7: message A: type id 2500 is outside the app range 1000-1999"), contracts.warnings());
    }

    @Test
    void shouldRejectUnknownTypeWithFileLineAndField() {
        final ContractsException e = fail(message("      ok: {type: u8, description: x}\n"
            + "      big:\n        type: u128\n        description: x\n"));
        assertEquals(9, e.line());
        assertEquals("c.yaml:9: M.big: unknown type 'u128' (supported: " + FieldTypeParser.SUPPORTED + ")",
            e.getMessage());
    }

    @Test
    void shouldRejectUnsupportedArrayElement() {
        final ContractsException e = fail(message("      f: {type: \"[bool; 3]\", description: x}\n"));
        assertEquals("c.yaml:7: M.f: unsupported array element type 'bool' in '[bool; 3]' (supported: u8 u16 u32 u64"
            + " i8 i16 i32 i64 f32 f64)", e.getMessage());
    }

    @Test
    void shouldRejectDuplicateTypeId() {
        final ContractsException e = fail("messages:\n"
            + "  A: {tlv_type: 1000, domain: T, description: d, fields: {}}\n"
            + "  B: {tlv_type: 1000, domain: T, description: d, fields: {}}\n");
        assertEquals("c.yaml:3: message B: duplicate type id 1000 (already used by A at line 2)", e.getMessage());
    }

    @Test
    void shouldRejectTypeIdInDefaultCoreRange() {
        final ContractsException e = fail("messages:\n  A:\n    tlv_type: 999\n    domain: T\n    description: d\n"
            + "    fields: {}\n");
        assertEquals("c.yaml:3: message A: type id 999 is in the core range 1-999 reserved for framework control"
            + " frames; use an id from the app range", e.getMessage());
    }

    @Test
    void shouldRejectTypeIdInConfiguredCoreRange() {
        final ContractsException e = fail("tag_ranges:\n  core: \"1-1999\"\n  app: \"2000-3000\"\nmessages:\n"
            + "  A: {tlv_type: 1500, domain: T, description: d, fields: {}}\n");
        assertEquals("c.yaml:5: message A: type id 1500 is in the core range 1-1999 reserved for framework control"
            + " frames; use an id from the app range 2000-3000", e.getMessage());
    }

    @Test
    void shouldRejectBadTagRange() {
        final ContractsException e = fail("tag_ranges:\n  core: \"999-1\"\nmessages: {}\n");
        assertEquals("c.yaml:2: tag_ranges.core must be \"start-end\" with 0 <= start <= end <= 65535, found '999-1'",
            e.getMessage());
    }

    @Test
    void shouldRejectBadYamlWithItsLine() {
        final ContractsException e = fail("messages:\n  A:\n    tlv_type: [1000\n    domain: T\n");
        assertTrue(e.getMessage().startsWith("c.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("bad YAML: "), e.getMessage());
        assertTrue(e.line() >= 3, e.getMessage());
        final ContractsException tab = fail("messages:\n\tA: 1\n");
        assertTrue(tab.getMessage().startsWith("c.yaml:2: bad YAML: "), tab.getMessage());
    }

    @Test
    void shouldRejectEmptyFileAndNonUtf8() {
        assertEquals("c.yaml:1: bad YAML: the file is empty; it needs at least a 'messages' mapping",
            fail("# nothing\n").getMessage());
        final ContractsException e = assertThrows(ContractsException.class,
            () -> ContractsParser.parse("c.yaml", new byte[] {'a', (byte) 0xFF}));
        assertEquals("c.yaml:1: bad YAML: the file is not valid UTF-8", e.getMessage());
    }

    @Test
    void shouldRejectMissingKeys() {
        assertEquals("c.yaml:1: missing key 'messages' in the top level", fail("schema: {id: 1, version: 1}\n")
            .getMessage());
        assertEquals("c.yaml:2: missing key 'tlv_type' in message A",
            fail("messages:\n  A: {domain: T, description: d, fields: {}}\n").getMessage());
        assertEquals("c.yaml:2: missing key 'domain' in message A",
            fail("messages:\n  A: {tlv_type: 1000, description: d, fields: {}}\n").getMessage());
        assertEquals("c.yaml:2: missing key 'fields' in message A",
            fail("messages:\n  A: {tlv_type: 1000, domain: T, description: d}\n").getMessage());
        assertEquals("c.yaml:7: missing key 'type' in field M.f", fail(message("      f: {description: x}\n"))
            .getMessage());
        assertEquals("c.yaml:7: missing key 'description' in field M.f", fail(message("      f: {type: u8}\n"))
            .getMessage());
        assertEquals("c.yaml:1: missing key 'version' in schema", fail("schema: {id: 1}\nmessages: {}\n")
            .getMessage());
    }

    @Test
    void shouldRejectWrongShapes() {
        assertEquals("c.yaml:1: the top level must be a mapping (key: value lines), found a list",
            fail("- a\n- b\n").getMessage());
        assertEquals("c.yaml:3: message A: tlv_type must be an integer, found 'abc'",
            fail("messages:\n  A:\n    tlv_type: abc\n").getMessage());
        assertEquals("c.yaml:3: message A: tlv_type must be in 1..65535, found 70000",
            fail("messages:\n  A:\n    tlv_type: 70000\n").getMessage());
    }

    @Test
    void shouldRejectBadValidationRules() {
        assertEquals("c.yaml:11: M.f: bad validation rule max_length must be an integer, found 'many'",
            fail(message("      f:\n        type: String\n        description: x\n        validation:\n"
                + "          - max_length: many\n")).getMessage());
        assertEquals("c.yaml:11: M.f: bad validation rule not_empty must be true or false, found 'yes please'",
            fail(message("      f:\n        type: String\n        description: x\n        validation:\n"
                + "          - not_empty: yes please\n")).getMessage());
        assertEquals("c.yaml:11: M.f: bad validation rule: not_empty/min_length/max_length apply only to String and"
            + " Vec fields, not u32", fail(message("      f:\n        type: u32\n        description: x\n"
                + "        validation:\n          - not_empty: true\n")).getMessage());
        assertEquals("c.yaml:11: M.f: bad validation rule: min_length 5 exceeds the capacity 4",
            fail(message("      f:\n        type: String\n        description: x\n        validation:\n"
                + "          - min_length: 5\n          - max_length: 4\n")).getMessage());
        assertEquals("c.yaml:11: M.f: bad validation rule 'not_empty': write rules as '- not_empty: true',"
            + " '- min_length: N' or '- max_length: N'", fail(message("      f:\n        type: String\n"
                + "        description: x\n        validation:\n          - not_empty\n")).getMessage());
    }

    @Test
    void shouldRejectCapacityNotAboveZero() {
        assertEquals("c.yaml:11: M.f: capacity must be > 0: max_length 0 (allowed 1..65535)",
            fail(message("      f:\n        type: String\n        description: x\n        validation:\n"
                + "          - max_length: 0\n")).getMessage());
        assertEquals("c.yaml:7: M.f: capacity must be > 0: array length 0 in '[u8; 0]' (allowed 1..65535)",
            fail(message("      f: {type: \"[u8; 0]\", description: x}\n")).getMessage());
        assertEquals("c.yaml:7: M.f: capacity must be > 0: item size 0 in 'Vec<[u8; 0]>' (allowed 1..65535)",
            fail(message("      f: {type: \"Vec<[u8; 0]>\", description: x}\n")).getMessage());
        assertEquals("c.yaml:7: M.f: capacity must be > 0: max_length 70000 (allowed 1..65535)",
            fail(message("      f: {type: Vec<u8>, description: x, validation: [{max_length: 70000}]}\n"))
                .getMessage());
    }

    @Test
    void shouldRejectDuplicateKeysAndBadNames() {
        assertEquals("c.yaml:3: duplicate key 'A' in messages (first at line 2)",
            fail("messages:\n  A: {tlv_type: 1000, domain: T, description: d, fields: {}}\n"
                + "  A: {tlv_type: 1001, domain: T, description: d, fields: {}}\n").getMessage());
        assertEquals("c.yaml:8: duplicate key 'f' in message M: fields (first at line 7)",
            fail(message("      f: {type: u8, description: x}\n      f: {type: u8, description: x}\n"))
                .getMessage());
        assertEquals("c.yaml:2: message name 'lower' must start with an upper-case letter and contain only letters"
            + " and digits (it becomes a Java and Python class name)",
            fail("messages:\n  lower: {tlv_type: 1000, domain: T, description: d, fields: {}}\n").getMessage());
        assertEquals("c.yaml:7: M.class: field name 'class' is a Java/Python keyword or a generated member name;"
            + " rename the field", fail(message("      class: {type: u8, description: x}\n")).getMessage());
        assertEquals("c.yaml:8: M.aB: same Java name 'aB' as field a_b; rename one of them",
            fail(message("      a_b: {type: u8, description: x}\n      aB: {type: u8, description: x}\n"))
                .getMessage());
    }
}
