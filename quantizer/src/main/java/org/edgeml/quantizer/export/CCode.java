package org.edgeml.quantizer.export;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Builds C99 source text: macros, comments, string literals and const arrays laid out in rows. Values
 * are written so that they mean the same on every conforming compiler (INT32_MIN spelled as an
 * expression, strings escaped byte by byte, no trigraph can form).
 */
final class CCode {
    private static final int VALUES_PER_LINE = 20;

    private final StringBuilder text = new StringBuilder();

    CCode line(String line) {
        text.append(line).append('\n');
        return this;
    }

    CCode blank() {
        return line("");
    }

    CCode define(String name, Object value) {
        return line("#define " + name + " " + value);
    }

    CCode defineString(String name, String value) {
        return define(name, literal(value));
    }

    /**
     * {@code static const int8_t name[rows * columns] attr = {...};} with one block of lines per row,
     * labelled {@code rowLabel i} when {@code rowLabel} is not null.
     */
    CCode int8Array(String name, String dimension, byte[] values, int columns, String rowLabel, String attribute) {
        return array("int8_t", name, dimension, ints(values), columns, rowLabel, attribute);
    }

    CCode int32Array(String name, String dimension, int[] values, String attribute) {
        return array("int32_t", name, dimension, values, values.length, null, attribute);
    }

    CCode array(String type, String name, String dimension, int[] values, int columns, String rowLabel, String attribute) {
        line("static const " + type + " " + name + "[" + dimension + "]" + (attribute.isEmpty() ? "" : " " + attribute) + " = {");
        for (int row = 0; row * columns < values.length; row++) {
            if (rowLabel != null) {
                line("    /* " + rowLabel + " " + row + " */");
            }
            values(values, row * columns, Math.min(values.length, (row + 1) * columns));
        }
        return line("};");
    }

    /** The initializer values {@code values[from..to)}, comma-terminated, a fixed number per line. */
    CCode values(int[] values, int from, int to) {
        for (int start = from; start < to; start += VALUES_PER_LINE) {
            StringBuilder l = new StringBuilder("   ");
            for (int i = start; i < Math.min(to, start + VALUES_PER_LINE); i++) {
                l.append(' ').append(intLiteral(values[i])).append(',');
            }
            line(l.toString());
        }
        return this;
    }

    static int[] ints(byte[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = values[i];
        }
        return ints;
    }

    CCode stringArray(String name, String dimension, List<String> values) {
        line("static const char *const " + name + "[" + dimension + "] = {");
        for (String v : values) {
            line("    " + literal(v) + ",");
        }
        return line("};");
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** A decimal int literal with the value on any C99 compiler; INT32_MIN has no literal of type int. */
    static String intLiteral(int value) {
        return value == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Integer.toString(value);
    }

    /**
     * A C string literal for the UTF-8 bytes of {@code s}: printable ASCII as is (with {@code \\},
     * {@code \"} and {@code \?} escaped, the last so that no trigraph forms), everything else as
     * three-digit octal escapes, which cannot swallow a following digit.
     */
    static String literal(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c == '\\' || c == '"' || c == '?') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append((char) c);
            } else {
                out.append(String.format(Locale.ROOT, "\\%03o", c));
            }
        }
        return out.append('"').toString();
    }

    /** Text safe inside a C block comment: printable ASCII, no comment delimiters, no trigraphs. */
    static String commentText(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        String text = out.toString();
        while (text.contains("??") || text.contains("*/") || text.contains("/*")) {
            text = text.replace("??", "? ?").replace("*/", "* /").replace("/*", "/ *");
        }
        return text;
    }

    /**
     * The stem of the generated file names for a model name: lowercase letters, digits and
     * underscores, not starting with a digit ({@code "Fashion MNIST-v2"} becomes {@code fashion_mnist_v2}).
     */
    static String fileStem(String modelName) {
        String stem = modelName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        if (stem.isEmpty()) {
            return "model";
        }
        return Character.isDigit(stem.charAt(0)) ? "m" + stem : stem;
    }
}
