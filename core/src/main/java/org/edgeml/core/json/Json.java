package org.edgeml.core.json;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer, so the runtime needs no JSON library.
 *
 * <p>Parsing gives {@link LinkedHashMap} for objects (key order kept), {@link ArrayList} for arrays,
 * {@link String}, {@link Long} for integral numbers that fit, {@link Double} for other numbers,
 * {@link Boolean} and {@code null}. Writing accepts the same kinds plus any {@link Number}, {@link Map},
 * {@link Iterable} and primitive arrays; non-finite doubles are written as {@code null}.
 */
public final class Json {
    private static final int MAX_DEPTH = 256;

    private Json() {}

    /** Thrown for text that is not JSON; the message names the character offset. */
    public static final class JsonException extends IllegalArgumentException {
        public JsonException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return value;
    }

    /** Parses text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    /** Compact JSON on one line. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, -1, 0);
        return out.toString();
    }

    /** Indented JSON, two spaces per level. */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 2, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int indent, int level) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                out.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                out.append((long) d);
            } else {
                out.append(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
            }
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(out, indent, level + 1);
                quote(out, String.valueOf(e.getKey()));
                out.append(indent < 0 ? ":" : ": ");
                write(out, e.getValue(), indent, level + 1);
            }
            if (!first) {
                newline(out, indent, level);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(indent < 0 ? "," : ", ");
                }
                first = false;
                write(out, item, indent, level + 1);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                items.add(Array.get(value, i));
            }
            write(out, items, indent, level);
        } else if (value instanceof Enum<?> e) {
            quote(out, e.name().toLowerCase(java.util.Locale.ROOT));
        } else {
            quote(out, value.toString());
        }
    }

    private static void newline(StringBuilder out, int indent, int level) {
        if (indent >= 0) {
            out.append('\n');
            out.append(" ".repeat(indent * level));
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        JsonException error(String what) {
            return new JsonException("invalid JSON at offset " + pos + ": " + what);
        }

        void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        /** {@code depth}: the containers this value is inside. */
        Object value(int depth) {
            if (pos >= text.length()) {
                throw error("unexpected end of text");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character " + describe(c));
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        private void enter(int depth) {
            if (depth >= MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            pos++;
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            enter(depth);
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("expected a quoted key");
                }
                String key = string();
                skipSpace();
                expect(':', "':'");
                skipSpace();
                map.put(key, value(depth + 1));
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}', "',' or '}'");
                return map;
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            enter(depth);
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value(depth + 1));
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']', "',' or ']'");
                return list;
            }
        }

        private void expect(char c, String what) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected " + what);
            }
            pos++;
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(hex4());
                    default -> {
                        pos--;
                        throw error(e > ' ' && e < 0x7f ? "bad escape \\" + e : "bad escape: '\\' before " + escaped(e));
                    }
                }
            }
        }

        /** The four hex digits of a {@code \\u} escape, as one UTF-16 unit. */
        private char hex4() {
            if (pos + 4 > text.length()) {
                throw error("short \\u escape");
            }
            int unit = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos), 16);
                if (digit < 0 || text.charAt(pos) > 'f') {
                    throw error("bad \\u escape");
                }
                unit = unit * 16 + digit;
                pos++;
            }
            return (char) unit;
        }

        /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?}; a long when it is whole and fits. */
        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (digits() == 0) {
                throw error("a number needs a digit here");
            }
            boolean integral = true;
            if (peek() == '.') {
                pos++;
                integral = false;
                if (digits() == 0) {
                    throw error("a number needs a digit after '.'");
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                integral = false;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (digits() == 0) {
                    throw error("a number needs a digit in its exponent");
                }
            }
            String s = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException tooLong) {
                    // falls through to a double
                }
            }
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number out of range");
            }
            return d;
        }

        private int digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos - start;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private static String describe(char c) {
            return c > ' ' && c < 0x7f ? "'" + c + "'" : escaped(c);
        }

        private static String escaped(char c) {
            return String.format("\\u%04x", (int) c);
        }
    }
}
