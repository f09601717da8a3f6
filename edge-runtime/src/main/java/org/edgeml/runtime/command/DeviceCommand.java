package org.edgeml.runtime.command;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.edgeml.core.json.Json;

/**
 * One command taken from {@code PREFIX/DEVICE/set} (docs/mqtt.md, "Commands"). {@link #parse} refuses anything
 * that is not exactly one of them with a {@link BadCommand} whose message names the problem and the fix.
 */
public sealed interface DeviceCommand {
    /** Larger payloads are refused unread: a command is a few dozen bytes. */
    int MAX_BYTES = 4096;
    int MAX_COUNT = 100_000;
    long MAX_EVERY_MS = 3_600_000;
    int MIN_SIZE = 8;
    int MAX_SIZE = 1024;
    int DEFAULT_SIZE = 96;
    Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The command's name as it appears in {@code "command"}. */
    String name();

    /**
     * Publish the next {@code count} frames, at least {@code everyMs} apart, as {@code size x size} PNGs on
     * {@code PREFIX/DEVICE/capture/LABEL}; a new capture replaces one still running.
     *
     * @param id an optional name chosen by the sender, echoed in every frame's metadata (or {@code null})
     */
    record Capture(String label, int count, long everyMs, int size, String id) implements DeviceCommand {
        public String name() {
            return "capture";
        }
    }

    /** Publish the next frame with the model's input view beside it on {@code PREFIX/DEVICE/snapshot}. */
    record Snapshot() implements DeviceCommand {
        public String name() {
            return "snapshot";
        }
    }

    /** Stop classifying (and publishing predictions) until {@link Resume}; commands still work. */
    record Pause() implements DeviceCommand {
        public String name() {
            return "pause";
        }
    }

    record Resume() implements DeviceCommand {
        public String name() {
            return "resume";
        }
    }

    /** A payload that is not a command; {@link #command()} is the command's name when it got that far. */
    final class BadCommand extends IllegalArgumentException {
        private final String command;

        BadCommand(String command, String message) {
            super(message);
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    static DeviceCommand parse(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            throw new BadCommand(null, "the command is " + payload.length + " bytes, more than " + MAX_BYTES
                    + "; send one JSON object such as {\"command\": \"snapshot\"}");
        }
        Map<String, Object> m;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            m = Json.parseObject(text);
        } catch (CharacterCodingException e) {
            throw new BadCommand(null, "the command is not UTF-8 text; send JSON such as {\"command\": \"snapshot\"}");
        } catch (IllegalArgumentException e) {
            throw new BadCommand(null, "the command is not a JSON object (" + e.getMessage()
                    + "); send JSON such as {\"command\": \"snapshot\"}");
        }
        if (!(m.get("command") instanceof String name)) {
            throw new BadCommand(null, "\"command\" is missing or not a string; use one of capture, snapshot, pause,"
                    + " resume");
        }
        return switch (name) {
            case "capture" -> capture(m);
            case "snapshot" -> only(m, name, new Snapshot());
            case "pause" -> only(m, name, new Pause());
            case "resume" -> only(m, name, new Resume());
            default -> throw new BadCommand(null, "unknown command '" + clip(name)
                    + "'; use one of capture, snapshot, pause, resume");
        };
    }

    private static DeviceCommand capture(Map<String, Object> m) {
        fieldsAmong(m, "capture", Set.of("command", "label", "count", "every_ms", "size", "id"));
        if (!(m.get("label") instanceof String label) || !LABEL.matcher(label).matches()) {
            throw new BadCommand("capture", "capture: \"label\" must be 1-64 letters, digits, '-' or '_' (it names a"
                    + " topic level and a folder), got " + clip(String.valueOf(m.get("label"))));
        }
        long count = whole(m, "count", null, 1, MAX_COUNT);
        long everyMs = whole(m, "every_ms", 0L, 0, MAX_EVERY_MS);
        long size = whole(m, "size", (long) DEFAULT_SIZE, MIN_SIZE, MAX_SIZE);
        Object id = m.get("id");
        if (id != null && !(id instanceof String s && ID.matcher(s).matches())) {
            throw new BadCommand("capture", "capture: \"id\" must be 1-64 letters, digits, '-' or '_', got "
                    + clip(String.valueOf(id)));
        }
        return new Capture(label, (int) count, everyMs, (int) size, (String) id);
    }

    private static long whole(Map<String, Object> m, String key, Long fallback, long min, long max) {
        Object v = m.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Long n) || n < min || n > max) {
            throw new BadCommand("capture", "capture: \"" + key + "\" must be a whole number from " + min + " to "
                    + max + ", got " + (v == null ? "nothing" : clip(Json.write(v))));
        }
        return n;
    }

    private static DeviceCommand only(Map<String, Object> m, String name, DeviceCommand command) {
        fieldsAmong(m, name, Set.of("command"));
        return command;
    }

    private static void fieldsAmong(Map<String, Object> m, String name, Set<String> known) {
        for (String key : m.keySet()) {
            if (!known.contains(key)) {
                throw new BadCommand(name, name + ": unknown field \"" + clip(key) + "\"; " + name + " takes "
                        + String.join(", ", known.stream().filter(k -> !k.equals("command")).sorted().toList())
                                .replaceFirst("^$", "no fields"));
            }
        }
    }

    /** Echoes at most 40 characters of what was sent, so a reply stays one short line. */
    private static String clip(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }
}
