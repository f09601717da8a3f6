package org.edgeml.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzz test of the JSON reader, which parses untrusted MQTT payloads ({@code watch}, deploy's
 * verifier) and device files (health reports): any text parses or fails with a {@link Json.JsonException}
 * whose message is one short line. What parses is written again and must parse to an equal value. Any other
 * exception, a hang, a stack overflow or an out-of-memory is a finding.
 *
 * <p>Regression mode (the default, as in CI): runs the seed corpus in
 * {@code src/test/resources/org/edgeml/core/json/JsonFuzzTestInputs/parse/} (status and prediction payloads,
 * health files, escapes, numbers, deep nesting) and any findings saved there. Fuzzing mode, on demand:
 * {@code JAZZER_FUZZ=1 mvn -pl core -am test -Dtest=JsonFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.JsonException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith("invalid JSON at offset "), message);
            assertFalse(message.contains("\n") || message.contains("\r"), message);
            assertTrue(message.length() < 200, message);
            return;
        }
        String written = Json.write(value);
        assertEquals(written, Json.write(Json.parse(written)), "what is written parses back to the same value");
    }
}
