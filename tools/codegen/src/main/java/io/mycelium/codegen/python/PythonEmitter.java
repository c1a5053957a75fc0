package io.mycelium.codegen.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.model.Contracts;
import io.mycelium.codegen.model.MessageDef;
import io.mycelium.codegen.model.Padding;

/**
 * Produces the {@code mycelium_protocol} Python package (stdlib only): {@code __init__.py} with the digest,
 * {@code messages.py} with one class per message, the shared {@code _codec.py} and {@code py.typed}. Stateless.
 */
public final class PythonEmitter {

    /** The package directory name. */
    public static final String PACKAGE = "mycelium_protocol";

    private PythonEmitter() {
    }

    /**
     * @param contracts the parsed contracts
     * @return relative path (with {@code /}) to file content, sorted by path
     */
    public static Map<String, String> emit(final Contracts contracts) {
        final Map<String, String> files = new TreeMap<>();
        files.put(PACKAGE + "/__init__.py", init(contracts));
        files.put(PACKAGE + "/_codec.py", resource("_codec.py"));
        files.put(PACKAGE + "/messages.py", messages(contracts));
        files.put(PACKAGE + "/py.typed", "");
        return files;
    }

    private static String init(final Contracts contracts) {
        final CodeWriter out = PythonText.module(contracts.source());
        out.line("\"\"\"Mycelium protocol generated from " + PythonText.doc(contracts.source()) + ".");
        out.line("");
        out.line("``SCHEMA_DIGEST`` is the SHA-256 of the exact contracts file bytes; peers must present the same");
        out.line("digest in the connection handshake. The message classes are in :mod:`mycelium_protocol.messages`.");
        out.line("\"\"\"");
        out.line("");
        out.line("SCHEMA_ID: str = " + PythonText.literal(contracts.schemaId() != null ? contracts.schemaId()
            : contracts.source()));
        out.line("SCHEMA_VERSION: int = " + contracts.version());
        out.line("SCHEMA_DIGEST_HEX: str = \"" + contracts.digestHex() + "\"");
        out.line("SCHEMA_DIGEST: bytes = bytes.fromhex(SCHEMA_DIGEST_HEX)");
        out.line("");
        out.line("__all__ = [\"SCHEMA_DIGEST\", \"SCHEMA_DIGEST_HEX\", \"SCHEMA_ID\", \"SCHEMA_VERSION\"]");
        return out.toString();
    }

    private static String messages(final Contracts contracts) {
        final List<MessageDef> byName = new ArrayList<>(contracts.messages());
        byName.sort(Comparator.comparing(MessageDef::name));
        final CodeWriter out = PythonText.module(contracts.source());
        out.line("\"\"\"Message classes of " + PythonText.doc(contracts.source()) + ".");
        out.line("");
        out.line("Each class encodes to the same C layout as the Java and Rust code: fields in declaration order at");
        out.line("their natural alignment, padding zeroed, little-endian. ``to_bytes()``/``pack_into()`` raise");
        out.line("``ValueError`` naming ``Class.field`` for over-capacity, wrong-type or out-of-range values;");
        out.line("``from_bytes()`` accepts bytes, bytearray or memoryview of exactly ``SIZE`` bytes.");
        out.line("");
        out.line("Field types: integers -> int, f32/f64 -> float, bool -> bool, String -> str,");
        out.line("U256/[u8; N]/Vec<u8> -> bytes, Vec<[u8; K]> -> tuple of bytes, numeric arrays [T; N] -> accept any");
        out.line("sequence or buffer of N");
        out.line("numbers (list, tuple, array.array, numpy array) and decode to ``array.array`` (so");
        out.line("``np.frombuffer(msg.features, dtype=np.float32)`` views it without copying).");
        out.line("\"\"\"");
        out.line("from __future__ import annotations");
        out.line("");
        out.line("import struct");
        out.line("from typing import Any, ClassVar, Dict, Sequence, Tuple, Type, Union");
        out.line("");
        out.line("from . import _codec as _c");
        out.line("");
        out.line("Buffer = Union[bytes, bytearray, memoryview]");
        final java.util.Set<String> packers = new java.util.TreeSet<>();
        for (final MessageDef message : byName) {
            message.fields().forEach(f -> {
                final PythonFieldCode code = new PythonFieldCode(message.name(), f);
                if (code.arrayPacker() != null) {
                    packers.add(code.arrayPacker() + " = struct.Struct(\"" + code.arrayPackerFormat() + "\")");
                }
            });
        }
        if (!packers.isEmpty()) {
            out.line("");
            out.line("# element-wise packers of the numeric array fields (range-check every element)");
            packers.forEach(out::line);
        }
        for (final MessageDef message : byName) {
            out.line("");
            out.line("");
            message(out, message);
        }
        out.line("");
        out.line("");
        out.line("TYPES: Dict[int, Type[Any]] = {");
        for (final MessageDef message : contracts.messages()) {
            out.line("    " + message.typeId() + ": " + message.name() + ",");
        }
        out.line("}");
        out.line("\"\"\"Every message class by type id.\"\"\"");
        out.line("");
        final List<String> names = new ArrayList<>();
        byName.forEach(m -> names.add("\"" + m.name() + "\""));
        names.add("\"TYPES\"");
        names.sort(Comparator.naturalOrder());
        out.line("__all__ = [" + String.join(", ", names) + "]");
        return out.toString();
    }

    private static void message(final CodeWriter out, final MessageDef message) {
        final String name = message.name();
        final List<PythonFieldCode> fields = new ArrayList<>();
        message.fields().forEach(f -> fields.add(new PythonFieldCode(name, f)));
        out.open("class " + name + ":");
        out.line("\"\"\"" + (message.description().isEmpty() ? name : PythonText.doc(message.description())));
        out.line("");
        out.line("Type id " + message.typeId() + ", topic ``" + message.topic() + "``, " + message.size() + " bytes.");
        if (!fields.isEmpty()) {
            out.line("");
            out.line("Fields:");
            for (final PythonFieldCode field : fields) {
                out.line("    " + field.doc());
            }
        }
        out.line("\"\"\"");
        out.line("");
        final List<String> slots = new ArrayList<>();
        fields.forEach(f -> slots.add("\"" + f.name() + "\""));
        out.line("__slots__ = (" + String.join(", ", slots) + (slots.size() == 1 ? "," : "") + ")");
        out.line("");
        out.line("TYPE_ID: ClassVar[int] = " + message.typeId());
        out.line("NAME: ClassVar[str] = \"" + name + "\"");
        out.line("TOPIC: ClassVar[str] = " + PythonText.literal(message.topic()));
        out.line("SIZE: ClassVar[int] = " + message.size());
        final List<String> types = new ArrayList<>();
        fields.forEach(f -> types.add("(\"" + f.name() + "\", " + PythonText.literal(
            message.fields().get(types.size()).type().canonical()) + ")"));
        out.line("FIELD_TYPES: ClassVar[Tuple[Tuple[str, str], ...]] = (" + String.join(", ", types)
            + (types.size() == 1 ? "," : "") + ")");
        out.line("_STRUCT: ClassVar[struct.Struct] = struct.Struct(\"" + format(message, fields) + "\")");
        final List<String> spec = new ArrayList<>();
        fields.forEach(f -> {
            if (f.spec() != null) {
                spec.add(f.spec());
            }
        });
        out.line("_SPEC: ClassVar[Tuple[Tuple[str, str], ...]] = (" + String.join(", ", spec)
            + (spec.size() == 1 ? "," : "") + ")");
        out.line("");
        for (final PythonFieldCode field : fields) {
            out.line(field.name() + ": " + field.annotation());
        }
        out.line("");
        final List<String> parameters = new ArrayList<>();
        parameters.add("self");
        fields.forEach(f -> parameters.add(f.name() + ": " + f.annotation() + " = " + f.defaultValue()));
        out.open("def __init__(" + String.join(", ", parameters) + ") -> None:");
        for (final PythonFieldCode field : fields) {
            out.line("self." + field.name() + " = " + field.name());
        }
        if (fields.isEmpty()) {
            out.line("pass");
        }
        out.close("");
        final List<String> arguments = new ArrayList<>();
        fields.forEach(f -> arguments.add(f.packArgument()));
        out.open("def to_bytes(self) -> bytes:");
        out.line("\"\"\"Encode to exactly ``SIZE`` bytes (C layout, zero padding).\"\"\"");
        out.open("try:");
        out.line("return self._STRUCT.pack(" + String.join(", ", arguments) + ")");
        out.close("except (struct.error, TypeError, OverflowError) as err:");
        out.line("    raise _c.diagnose(self, self._SPEC, err) from err");
        out.close("");
        out.open("def pack_into(self, buffer: Any, offset: int = 0) -> None:");
        out.line("\"\"\"Encode into a writable buffer at ``offset`` (no intermediate bytes object).\"\"\"");
        out.open("try:");
        out.line("self._STRUCT.pack_into(buffer, offset" + (arguments.isEmpty() ? "" : ", ")
            + String.join(", ", arguments) + ")");
        out.close("except (struct.error, TypeError, OverflowError) as err:");
        out.line("    raise _c.diagnose(self, self._SPEC, err) from err");
        out.close("");
        out.line("@classmethod");
        out.open("def from_bytes(cls, buf: Buffer) -> \"" + name + "\":");
        out.line("\"\"\"Decode a payload of exactly ``SIZE`` bytes.\"\"\"");
        out.open("if len(buf) != " + message.size() + " or (type(buf) is memoryview and buf.nbytes != "
            + message.size() + "):");
        out.line("size = buf.nbytes if isinstance(buf, memoryview) else len(buf)");
        out.line("raise ValueError(f\"" + name + ": payload of {size} bytes, expected exactly " + message.size()
            + " (type id " + message.typeId() + ")\")");
        out.close("");
        if (fields.isEmpty()) {
            out.line("return cls()");
        } else if (fields.stream().allMatch(PythonFieldCode::direct)) {
            out.line("return cls(*cls._STRUCT.unpack(buf))");
        } else {
            out.line("v = cls._STRUCT.unpack(buf)");
            final List<String> values = new ArrayList<>();
            int index = 0;
            for (final PythonFieldCode field : fields) {
                values.add(field.decode(index));
                index += field.valueCount();
            }
            out.line("return cls(" + String.join(", ", values) + ")");
        }
        out.close("");
        out.open("def validate(self) -> None:");
        out.line("\"\"\"Check the contracts.yaml validation rules (not_empty, min_length, max_length).\"\"\"");
        final List<String> rules = new ArrayList<>();
        fields.forEach(f -> f.validation(rules));
        if (rules.isEmpty()) {
            out.line("return None");
        } else {
            out.line("cls = type(self).__name__");
            rules.forEach(out::line);
        }
        out.close("");
        final List<String> keys = new ArrayList<>();
        fields.forEach(f -> keys.add(f.key()));
        out.open("def _key(self) -> Tuple[Any, ...]:");
        out.line("return (" + String.join(", ", keys) + (keys.size() == 1 ? "," : "") + ")");
        out.close("");
        out.open("def __eq__(self, other: object) -> bool:");
        out.open("if other.__class__ is not self.__class__:");
        out.line("return NotImplemented");
        out.close("return self._key() == other._key()  # type: ignore[attr-defined]");
        out.close("");
        out.line("__hash__ = None  # type: ignore[assignment]  # mutable value");
        out.line("");
        final List<String> reprs = new ArrayList<>();
        fields.forEach(f -> reprs.add(f.name() + "={self." + f.name() + "!r}"));
        out.open("def __repr__(self) -> str:");
        out.line("return f\"" + name + "(" + String.join(", ", reprs) + ")\"");
        out.close("");
        out.close("");
    }

    private static String format(final MessageDef message, final List<PythonFieldCode> fields) {
        final StringBuilder format = new StringBuilder("<");
        for (int i = 0; i < fields.size(); i++) {
            final int offset = message.fields().get(i).offset();
            for (final Padding padding : message.paddings()) {
                if (padding.offset() + padding.length() == offset) {
                    format.append(padding.length()).append('x');
                }
            }
            format.append(fields.get(i).format());
        }
        for (final Padding padding : message.paddings()) {
            if (padding.offset() + padding.length() == message.size()) {
                format.append(padding.length()).append('x');
            }
        }
        return format.toString();
    }

    private static String resource(final String name) {
        try (InputStream in = PythonEmitter.class.getResourceAsStream("/io/mycelium/codegen/python/" + name)) {
            if (in == null) {
                throw new IllegalStateException("codegen resource " + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read codegen resource " + name, e);
        }
    }
}
