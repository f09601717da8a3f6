package org.edgeml.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.edgeml.core.json.Json;
import org.edgeml.quantizer.cli.TextTable;

/** The live state per device that {@code edgeml watch} shows, fed by MQTT messages (any thread). */
final class DeviceTable {
    private static final double RATE_WINDOW_SECONDS = 5;

    private final Map<String, Device> devices = new TreeMap<>();
    private final long count;
    private final CountDownLatch done;
    private long predictions;
    private long version;

    DeviceTable(long count, CountDownLatch done) {
        this.count = count;
        this.done = done;
    }

    private static final class Device {
        String state = "?";
        String model = "";
        String label = "";
        double confidence = Double.NaN;
        long latencyUs;
        long messages;
        long correct;
        long labelled;
        long windowStart = System.nanoTime();
        long windowMessages;
        double rate;
        Map<String, Object> status = Map.of();
    }

    /** Takes one message; true when it was a well-formed prediction (counted). Malformed messages are ignored. */
    synchronized boolean accept(String topic, String payload) {
        String[] parts = topic.split("/");
        if (parts.length < 3) {
            return false;
        }
        String id = parts[parts.length - 2];
        Map<String, Object> m;
        try {
            m = Json.parseObject(payload);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Device d = devices.computeIfAbsent(id, k -> new Device());
        if (topic.endsWith("/status")) {
            d.state = String.valueOf(m.getOrDefault("state", "?"));
            d.model = String.valueOf(m.getOrDefault("model", d.model));
            d.status = m;
            version++;
            return false;
        }
        if (!(m.get("label") instanceof String label) || !(m.get("confidence") instanceof Number confidence)) {
            return false;
        }
        d.label = label;
        d.confidence = confidence.doubleValue();
        d.latencyUs = m.get("latency_us") instanceof Number n ? n.longValue() : 0;
        d.model = String.valueOf(m.getOrDefault("model", d.model));
        d.messages++;
        d.windowMessages++;
        if (m.get("true_class") instanceof Number truth && m.get("class") instanceof Number predicted) {
            d.labelled++;
            d.correct += truth.longValue() == predicted.longValue() ? 1 : 0;
        }
        long now = System.nanoTime();
        double seconds = (now - d.windowStart) / 1e9;
        if (seconds >= RATE_WINDOW_SECONDS) {
            d.rate = d.windowMessages / seconds;
            d.windowStart = now;
            d.windowMessages = 0;
        } else if (d.rate == 0 && seconds > 0.5) {
            d.rate = d.windowMessages / seconds;
        }
        predictions++;
        version++;
        if (count > 0 && predictions >= count) {
            done.countDown();
        }
        return true;
    }

    /** The share of labelled predictions of {@code device} that were right, as text ("-" when none). */
    synchronized String accuracy(String device) {
        Device d = devices.get(device);
        return d == null || d.labelled == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * d.correct / d.labelled);
    }

    synchronized long predictions() {
        return predictions;
    }

    /** Grows with every message taken, so a reader can tell whether anything changed since it last looked. */
    synchronized long version() {
        return version;
    }

    /** One map per device, in id order: what the table shows, plus the device's last status as it came. */
    synchronized List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Device> e : devices.entrySet()) {
            Device d = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("device", e.getKey());
            row.put("state", d.state);
            row.put("model", d.model);
            row.put("label", d.label);
            row.put("confidence", Double.isNaN(d.confidence) ? null : d.confidence);
            row.put("latency_us", d.messages == 0 ? null : d.latencyUs);
            row.put("rate", d.rate);
            row.put("messages", d.messages);
            row.put("accuracy", d.labelled == 0 ? null : (double) d.correct / d.labelled);
            row.put("status", d.status);
            rows.add(row);
        }
        return rows;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    /** Predictions the device dropped (publish) and frames it let go unclassified, as "P/F"; empty before a status. */
    static String lost(Map<String, Object> status) {
        if (!(status.get("dropped") instanceof Number published)) {
            return "";
        }
        return published.longValue() + "/" + (status.get("frames_dropped") instanceof Number f ? f.longValue() : 0);
    }

    /** Seconds as {@code 1d 02:03:04}, {@code 02:03:04} or empty. */
    static String uptime(Object seconds) {
        if (!(seconds instanceof Number n)) {
            return "";
        }
        long s = n.longValue();
        String clock = String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
        return s >= 86_400 ? s / 86_400 + "d " + clock : clock;
    }

    synchronized void print(PrintStream out, boolean redraw) {
        TextTable t = new TextTable("device", "state", "camera", "model", "label", "confidence", "latency", "msg/s",
                "messages", "accuracy", "fps", "lost", "uptime", "temp");
        for (Map.Entry<String, Device> e : devices.entrySet()) {
            Device d = e.getValue();
            t.row(e.getKey(), d.state, text(d.status.get("camera")), d.model, d.label,
                    Double.isNaN(d.confidence) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * d.confidence),
                    d.messages == 0 ? "" : d.latencyUs + " us", String.format(Locale.ROOT, "%.1f", d.rate), d.messages,
                    d.labelled == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * d.correct / d.labelled),
                    text(d.status.get("fps")), lost(d.status), uptime(d.status.get("uptime_s")),
                    d.status.get("cpu_temp_c") instanceof Number c ? String.format(Locale.ROOT, "%.1f C", c.doubleValue()) : "");
        }
        if (redraw) {
            out.print("\u001b[H\u001b[2J");
        }
        out.print(devices.isEmpty() ? "(no devices yet)\n" : t.toString());
        if (!redraw) {
            out.println();
        }
        out.flush();
    }
}
