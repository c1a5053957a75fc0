package io.mycelium.codegen.java;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mycelium.codegen.CodeWriter;
import io.mycelium.codegen.model.FieldType;
import io.mycelium.codegen.model.MessageDef;

/**
 * Writes the Java source of one message's zero-copy flyweight, {@code <Message>View}: a reusable reader that wraps a
 * buffer and reads each field in place, so hot consumers decode without allocating. Stateless.
 */
final class JavaViewEmitter {

    /** Methods every view has; a field accessor with the same signature would not compile. */
    private static final List<String> FIXED_METHODS = List.of("wrap(ByteBuffer,int)", "toMessage()", "toString()",
        "hashCode()", "getClass()", "notify()", "notifyAll()", "wait()", "clone()", "finalize()");

    private final String javaPackage;
    private final String source;

    JavaViewEmitter(final String javaPackage, final String source) {
        this.javaPackage = javaPackage;
        this.source = source;
    }

    /** @return the view class name of {@code message} */
    static String viewName(final MessageDef message) {
        return message.name() + "View";
    }

    /**
     * @param message the message
     * @return the source of {@code <Message>View}
     * @throws IllegalArgumentException if a field's view accessors would clash with another field's or the view's own
     *                                  methods, naming the contracts line
     */
    String emit(final MessageDef message) {
        final List<JavaFieldCode> fields = new ArrayList<>();
        message.fields().forEach(f -> fields.add(new JavaFieldCode(message.name(), f)));
        checkClashes(message, fields);
        final String name = message.name();
        final String view = viewName(message);
        final CodeWriter out = JavaText.file(source, javaPackage);
        out.line("import java.nio.ByteBuffer;");
        out.line("import java.util.Objects;");
        out.line("");
        out.line("import io.mycelium.protocol.layout.FixedString;");
        out.line("import io.mycelium.protocol.layout.FixedVector;");
        out.line("import io.mycelium.protocol.layout.LittleEndian;");
        out.line("");
        javadoc(out, 0, "Reads a {@link " + name + "} payload in place, one thread at a time: a reusable zero-copy"
            + " flyweight whose getters read little-endian values straight from the wrapped buffer and allocate"
            + " nothing (except {@link #toMessage()}, {@link #toString()} and the {@code String} accessors).\n\n"
            + "<p>Threading: not thread-safe. A view belongs to one thread at a time; keep one per consumer thread and"
            + " {@link #wrap(ByteBuffer, int) wrap} it on each message instead of creating a new one. Getters read the"
            + " buffer on every call, so they see later writes to it; copy what must outlive the buffer's contents"
            + " ({@link #toMessage()}).\n\n"
            + "<p>Checks: {@code wrap} checks that {@value " + name + "#SIZE} bytes are available; every read is"
            + " still bounds-checked by the buffer. Counts of strings and vectors are checked against their capacity"
            + " on each access ({@link IllegalArgumentException}, as when decoding). Getters of a view that was never"
            + " wrapped throw {@link NullPointerException}.");
        out.line("@SuppressWarnings({\"unused\", \"PointlessArithmeticExpression\"})");
        out.open("public final class " + view + " {");
        out.line("");
        out.line("// Owned by the thread using the view; replaced by wrap().");
        out.line("private ByteBuffer buffer;");
        out.line("private int offset;");
        out.line("");
        out.line("/** Creates an unwrapped view; call {@link #wrap(ByteBuffer, int)} before reading. */");
        out.open("public " + view + "() {");
        out.close("}");
        wrap(out, name, view);
        for (final JavaFieldCode field : fields) {
            accessors(out, field);
        }
        conversions(out, name, view);
        out.close("}");
        return out.toString();
    }

    private static void wrap(final CodeWriter out, final String name, final String view) {
        out.line("");
        javadoc(out, 4, "Points this view at the payload at {@code offset}; reads nothing yet and allocates nothing."
            + "\n\n@param buffer the buffer holding the payload; its position, limit and byte order are not changed"
            + "\n@param offset absolute index of the payload's first byte\n@return this view"
            + "\n@throws IndexOutOfBoundsException if fewer than {@value " + name + "#SIZE} bytes lie between"
            + " {@code offset} and the limit\n@throws NullPointerException if {@code buffer} is null");
        out.open("public " + view + " wrap(final ByteBuffer buffer, final int offset) {");
        out.line("Objects.checkFromIndexSize(offset, " + name + ".SIZE, buffer.limit());");
        out.line("this.buffer = buffer;");
        out.line("this.offset = offset;");
        out.line("return this;");
        out.close("}");
    }

    private static void accessors(final CodeWriter out, final JavaFieldCode field) {
        final FieldType type = field.field().type();
        final String name = field.name();
        final String at = "offset + " + field.field().offset();
        final String where = field.where();
        // first slot of a string or vector: the offset after its 8-byte count header
        final String slots = "offset + " + (field.field().offset() + 8);
        switch (type.kind()) {
            case SCALAR -> method(out, "@return " + field.doc(), field.javaType() + " " + name + "()",
                field.decode());
            case ARRAY -> {
                constant(out, name + "Count", type.length(), "the number of elements of {@code " + name + "}");
                final String element = type.scalar().javaElementType();
                final int size = type.scalar().size();
                final String index = "Objects.checkIndex(i, " + type.length() + ")";
                final String handle = switch (element) {
                    case "short" -> "I16";
                    case "int" -> "I32";
                    case "long" -> "I64";
                    case "float" -> "F32";
                    default -> "F64";
                };
                final String read = element.equals("byte") ? "buffer.get(" + at + " + " + index + ")"
                    : "(" + element + ") LittleEndian." + handle + ".get(buffer, " + at + " + " + size + " * " + index
                    + ")";
                method(out, "@param i the element index, 0.." + (type.length() - 1) + "\n@return element {@code i}"
                        + " of " + field.doc() + (type.scalar().unsigned() ? " (raw bits, as in the message)" : "")
                        + "\n@throws IndexOutOfBoundsException if {@code i} is out of range",
                    element + " " + name + "(final int i)", read);
            }
            case BYTES -> {
                constant(out, name + "Length", type.length(), "the number of bytes of {@code " + name + "}");
                method(out, "@param i the byte index, 0.." + (type.length() - 1) + "\n@return byte {@code i} of "
                        + field.doc() + "\n@throws IndexOutOfBoundsException if {@code i} is out of range",
                    "byte " + name + "(final int i)", "buffer.get(" + at + " + Objects.checkIndex(i, "
                        + type.length() + "))");
                method(out, "Copies the " + type.length() + " bytes of {@code " + name + "} into {@code dst} from"
                        + " index 0; allocates nothing.\n\n@param dst the destination, at least " + type.length()
                        + " long\n@return " + type.length() + "\n@throws IllegalArgumentException if {@code dst} is"
                        + " shorter than " + type.length(),
                    "int " + name + "CopyTo(final byte[] dst)",
                    "LittleEndian.copyBytes(buffer, " + at + ", " + type.length() + ", dst, " + where + ")");
            }
            case STRING -> {
                counted(out, field, name + "Length", "the UTF-8 byte length of " + field.doc(), at, where);
                method(out, "Compares in place, without decoding or allocating; bytes that are not valid UTF-8"
                        + " equal no string.\n\n@param value the string to compare with\n@return whether {@code "
                        + name + "} is {@code value}\n@throws IllegalArgumentException if the stored length exceeds"
                        + " the capacity " + type.capacity() + "\n@throws NullPointerException if {@code value} is"
                        + " null",
                    "boolean " + name + "Equals(final String value)", "FixedString.contentEquals(buffer, " + at
                        + ", " + type.capacity() + ", value, " + where + ")");
                copyTo(out, field, "UTF-8 bytes (as stored, not validated)", at, where);
                method(out, "Decodes the field into a new {@code String}; allocates.\n\n@return " + field.doc()
                        + "\n@throws IllegalArgumentException if the stored length exceeds the capacity "
                        + type.capacity() + " or the bytes are not valid UTF-8",
                    "String " + name + "()", field.decode());
            }
            case VECTOR -> {
                counted(out, field, name + "Length", "the number of bytes stored in " + field.doc(), at, where);
                method(out, "@param i the byte index, below {@link #" + name + "Length()}\n@return byte {@code i} of "
                        + "{@code " + name + "}\n@throws IndexOutOfBoundsException if {@code i} is out of range"
                        + "\n@throws IllegalArgumentException if the stored length exceeds the capacity "
                        + type.capacity(),
                    "byte " + name + "(final int i)", "buffer.get(" + slots + " + Objects.checkIndex(i, " + name
                        + "Length()))");
                copyTo(out, field, "bytes", at, where);
            }
            case ITEMS -> {
                counted(out, field, name + "Count", "the number of " + type.length() + "-byte items stored in "
                    + field.doc(), at, where);
                method(out, "@param item the item index, below {@link #" + name + "Count()}\n@param i the byte"
                        + " index in the item, 0.." + (type.length() - 1) + "\n@return byte {@code i} of item"
                        + " {@code item} of {@code " + name + "}\n@throws IndexOutOfBoundsException if an index is"
                        + " out of range\n@throws IllegalArgumentException if the stored count exceeds the capacity "
                        + type.capacity(),
                    "byte " + name + "(final int item, final int i)", "buffer.get(" + slots
                        + " + Objects.checkIndex(item, " + name + "Count()) * " + type.length() + "\n"
                        + " ".repeat(16) + "+ Objects.checkIndex(i, " + type.length() + "))");
                method(out, "Copies item {@code item} of {@code " + name + "} into {@code dst} from index 0;"
                        + " allocates nothing.\n\n@param item the item index, below {@link #" + name + "Count()}"
                        + "\n@param dst the destination, at least " + type.length() + " long\n@return "
                        + type.length() + "\n@throws IndexOutOfBoundsException if {@code item} is out of range"
                        + "\n@throws IllegalArgumentException if {@code dst} is too short or the stored count exceeds"
                        + " the capacity " + type.capacity(),
                    "int " + name + "CopyTo(final int item, final byte[] dst)", "FixedVector.copyItem(buffer, " + at
                        + ", " + type.length() + ", " + type.capacity() + ", item, dst, " + where + ")");
            }
            default -> throw new IllegalStateException("unknown field kind " + type.kind());
        }
    }

    private static void counted(final CodeWriter out, final JavaFieldCode field, final String method,
                                final String what, final String at, final String where) {
        final int capacity = field.field().type().capacity();
        method(out, "@return " + what + ", 0.." + capacity + "\n@throws IllegalArgumentException if the stored count"
                + " exceeds the capacity " + capacity,
            "int " + method + "()", "FixedVector.getCount(buffer, " + at + ", " + capacity + ", " + where + ")");
    }

    private static void copyTo(final CodeWriter out, final JavaFieldCode field, final String what, final String at,
                               final String where) {
        final String name = field.name();
        final int capacity = field.field().type().capacity();
        method(out, "Copies the stored " + what + " of {@code " + name + "} into {@code dst} from index 0; allocates"
                + " nothing.\n\n@param dst the destination; an array of the capacity " + capacity + " always fits"
                + "\n@return the number of bytes copied\n@throws IllegalArgumentException if {@code dst} is shorter"
                + " than the stored length or that exceeds the capacity " + capacity,
            "int " + name + "CopyTo(final byte[] dst)", "FixedVector.copyBytes(buffer, " + at + ", " + capacity
                + ", dst, " + where + ")");
    }

    private static void constant(final CodeWriter out, final String method, final int value, final String what) {
        method(out, "@return " + value + ", " + what, "int " + method + "()", Integer.toString(value));
    }

    private static void method(final CodeWriter out, final String doc, final String signature,
                               final String expression) {
        out.line("");
        javadoc(out, 4, doc);
        out.open("public " + signature + " {");
        out.line("return " + expression + ";");
        out.close("}");
    }

    /**
     * Writes a Javadoc comment, wrapping each {@code \n}-separated line at word boundaries so that generated lines
     * stay within 120 columns; a one-line comment goes on one line.
     */
    private static void javadoc(final CodeWriter out, final int indent, final String doc) {
        final int width = 120 - indent - 3;
        if (!doc.contains("\n") && doc.length() + 7 <= width + 3) {
            out.line("/** " + doc + " */");
            return;
        }
        out.line("/**");
        for (final String paragraph : doc.split("\n", -1)) {
            if (paragraph.isEmpty()) {
                out.line(" *");
                continue;
            }
            final StringBuilder line = new StringBuilder();
            for (final String word : paragraph.split(" ")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    out.line(" * " + line);
                    line.setLength(0);
                }
                line.append(line.length() > 0 ? " " : "").append(word);
            }
            out.line(" * " + line);
        }
        out.line(" */");
    }

    private static void conversions(final CodeWriter out, final String name, final String view) {
        out.line("");
        javadoc(out, 4, "Decodes the wrapped payload into a new immutable message that outlives the buffer's"
            + " contents; allocates.\n\n@return the message, equal to {@code " + name + ".TYPE.decode(buffer, offset)}"
            + "\n@throws IllegalArgumentException if a count exceeds its capacity or a string is not valid UTF-8");
        out.open("public " + name + " toMessage() {");
        out.line("return " + name + ".TYPE.decode(buffer, offset);");
        out.close("}");
        out.line("");
        javadoc(out, 4, "@return the fields as {@link " + name + "#toString()} shows them, or {@code " + view
            + "{unwrapped}}; allocates");
        out.line("@Override");
        out.open("public String toString() {");
        out.open("if (buffer == null) {");
        out.line("return \"" + view + "{unwrapped}\";");
        out.close("}");
        out.line("return \"" + view + "\" + toMessage().toString().substring(" + name.length() + ");");
        out.close("}");
    }

    /** Fails generation when two accessors would get the same signature, e.g. fields {@code a} and {@code a_length}. */
    private void checkClashes(final MessageDef message, final List<JavaFieldCode> fields) {
        final Map<String, String> owners = new HashMap<>();
        FIXED_METHODS.forEach(m -> owners.put(m, "the view itself"));
        for (final JavaFieldCode field : fields) {
            for (final String signature : signatures(field)) {
                final String owner = owners.putIfAbsent(signature, "field " + field.field().name());
                if (owner != null) {
                    throw new IllegalArgumentException(source + ":" + field.field().line() + ": " + message.name()
                        + "." + field.field().name() + ": view accessor " + signature + " clashes with " + owner
                        + " in " + viewName(message) + "; rename the field");
                }
            }
        }
    }

    private static List<String> signatures(final JavaFieldCode field) {
        final String name = field.name();
        return switch (field.field().type().kind()) {
            case SCALAR -> List.of(name + "()");
            case ARRAY -> List.of(name + "Count()", name + "(int)");
            case BYTES, VECTOR -> List.of(name + "Length()", name + "(int)", name + "CopyTo(byte[])");
            case STRING -> List.of(name + "Length()", name + "Equals(String)", name + "CopyTo(byte[])", name + "()");
            case ITEMS -> List.of(name + "Count()", name + "(int,int)", name + "CopyTo(int,byte[])");
        };
    }
}
