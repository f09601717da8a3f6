package org.edgeml.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON reader against RFC 8259: what it must accept (with the values worked out by hand from the RFC's
 * grammar) and what it must refuse, with one short line naming the offset.
 */
class JsonTest {

    private static String rejected(String text) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text), () -> "accepted: " + (text.length() > 60 ? text.substring(0, 60) + "..." : text));
        String message = e.getMessage();
        assertTrue(message.startsWith("invalid JSON at offset ") || message.equals("expected a JSON object"), message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertTrue(message.length() < 200, "a short message: " + message.length() + " characters");
        return message;
    }

    @Test
    void parsesTheRfcExampleObject() {
        // RFC 8259 section 13, first example (abridged).
        Map<String, Object> image = Json.parseObject("""
                {"Image": {"Width": 800, "Height": 600, "Title": "View from 15th Floor",
                  "Thumbnail": {"Url": "http://www.example.com/image/481989943", "Height": 125, "Width": 100},
                  "Animated" : false, "IDs": [116, 943, 234, 38793]}}""");
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) image.get("Image");
        assertEquals(800L, inner.get("Width"));
        assertEquals("View from 15th Floor", inner.get("Title"));
        assertEquals(Boolean.FALSE, inner.get("Animated"));
        assertEquals(List.of(116L, 943L, 234L, 38793L), inner.get("IDs"));
        assertEquals(List.of("Image"), List.copyOf(image.keySet()));
        assertEquals(List.of("Width", "Height", "Title", "Thumbnail", "Animated", "IDs"), List.copyOf(inner.keySet()), "key order kept");
    }

    @Test
    void scalarsAtTheTopLevelAndWhitespace() {
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertNull(Json.parse(" \t\r\nnull \n"));
        assertEquals("", Json.parse("\"\""));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
        assertEquals(Arrays.asList(null, false, "x"), Json.parse("[null,false,\"x\"]"));
    }

    @Test
    void everyEscape() {
        assertEquals("\" \\ / \b \f \n \r \t", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""));
        assertEquals("A\u00e9\u20ac", Json.parse("\"\\u0041\\u00E9\\u20ac\""));
        assertEquals("\u0000", Json.parse("\"\\u0000\""));
    }

    @Test
    void surrogatePairsMakeOneCodePoint() {
        // U+1D11E (musical G clef) is D834 DD1E in UTF-16, the RFC's own example (section 7).
        String clef = (String) Json.parse("\"\\uD834\\uDD1E\"");
        assertEquals(1, clef.codePointCount(0, clef.length()));
        assertEquals(0x1D11E, clef.codePointAt(0));
        assertEquals("\uD83D\uDE00", Json.parse("\"\uD83D\uDE00\""), "a literal emoji passes through");
        // A lone surrogate is allowed by the grammar (RFC 8259 section 8.2); it is kept as it is.
        assertEquals("\uDD1E", Json.parse("\"\\uDD1E\""));
    }

    @Test
    void writingQuotesWhatMustBeQuotedAndReadsBack() {
        String nasty = "a\"b\\c\n\u0001\u2028\uD834\uDD1E";
        String written = Json.write(Map.of("k", nasty));
        assertEquals("{\"k\":\"a\\\"b\\\\c\\n\\u0001\\u2028\uD834\uDD1E\"}", written);
        assertEquals(nasty, Json.parseObject(written).get("k"));
    }

    @Test
    void numbers() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(-0.25, Json.parse("-2.5e-1"));
        assertEquals(1000.0, Json.parse("1E3"));
        assertEquals(1000.0, Json.parse("1e+3"));
        assertEquals(0.0, Json.parse("0.0e0"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808e18, Json.parse("9223372036854775808"), "past a long: a double");
        assertEquals(0.0, Json.parse("1e-400"), "underflow is zero");
        assertEquals(123456789012345678L, Json.parse("123456789012345678"));
        assertEquals(1234567890123456789L, Json.parse("1234567890123456789"), "19 digits still fit a long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "1.", "-", "-a", ".5", "+1", "1e", "1e+", "1.e3", "1.5e", "0x10", "1-2", "1+2",
        "1.2.3", "--1", "1e5.5", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1d", "1f"})
    void refusesNumbersOutsideTheGrammar(String text) {
        rejected(text);
        rejected("[" + text + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[", "]", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\"}",
        "[1 2]", "tru", "nul", "True", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\u+123\"", "\"\\u-123\"", "\"\\", "\"a\tb\"",
        "\"a\nb\"", "\"\u0000\"", "\u00a0 1", "\ufeff{}", "1 2", "{} x", "[] ]", "true false", "null,", "\"a\"\"b\"", "[1]\u0000",
        "{\"a\":1}}", "//c\n1", "/*c*/1"})
    void refusesWhatIsNotJson(String text) {
        rejected(text);
    }

    @Test
    void anErrorNamesTheOffset() {
        assertEquals("invalid JSON at offset 3: unexpected text after the JSON value", rejected("{} x"));
        assertEquals("invalid JSON at offset 5: expected ',' or ']'", rejected("[1,2 3]"));
        assertEquals("invalid JSON at offset 7: expected ',' or '}'", rejected("{\"a\":1 \"b\":2}"));
    }

    @Test
    void aBadEscapeIsNamed() {
        assertEquals("invalid JSON at offset 2: bad escape \\x", rejected("\"\\x\""));
    }

    @Test
    void errorMessagesShowControlCharactersAsEscapesAndStayShort() {
        assertEquals("invalid JSON at offset 0: unexpected character \\u0007", rejected("\u0007"));
        assertEquals("invalid JSON at offset 2: bad escape: '\\' before \\u000a", rejected("\"\\\n\""));
        String longNumber = "1." + "e".repeat(100_000);
        rejected(longNumber);
    }

    @Test
    void nestingIsLimitedTo256Containers() {
        String deepest = "[".repeat(256) + "]".repeat(256);
        Object value = Json.parse(deepest);
        for (int level = 1; level < 256; level++) {
            value = ((List<?>) value).get(0);
        }
        assertEquals(List.of(), value);
        assertEquals("invalid JSON at offset 256: nested deeper than 256", rejected("[".repeat(257) + "]".repeat(257)));
        Json.parse("{\"a\":".repeat(256) + "1" + "}".repeat(256));
        assertEquals("invalid JSON at offset 1280: nested deeper than 256", rejected("{\"a\":".repeat(257) + "1" + "}".repeat(257)));
        rejected("[".repeat(1_000_000));
    }

    @Test
    void hugeInputsParseInOnePass() {
        int n = 200_000;
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            array.append(i == 0 ? "" : ",").append(i);
        }
        List<?> list = (List<?>) Json.parse(array.append(']').toString());
        assertEquals(n, list.size());
        assertEquals((long) n - 1, list.get(n - 1));
        String big = "x".repeat(5_000_000);
        assertEquals(big, Json.parse("\"" + big + "\""));
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            many.put("k" + i, i);
        }
        assertEquals(10_000, Json.parseObject(Json.write(many)).size());
        String digits = "1" + "0".repeat(100_000);
        assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(digits), "so the reader must refuse it, not return infinity");
        rejected(digits);
    }

    @Test
    void duplicateKeysKeepTheLastValue() {
        // RFC 8259 section 4 leaves this to the implementation; ours keeps the last, as most do.
        assertEquals(Map.of("a", 2L), Json.parse("{\"a\":1,\"a\":2}"));
    }

    @Test
    void parseObjectWantsAnObject() {
        assertEquals("expected a JSON object", assertThrows(Json.JsonException.class, () -> Json.parseObject("[]")).getMessage());
        assertEquals("expected a JSON object", assertThrows(Json.JsonException.class, () -> Json.parseObject("\"{}\"")).getMessage());
    }
}
