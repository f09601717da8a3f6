package org.edgeml.runtime.mqtt;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.core.engine.Prediction;
import org.edgeml.core.json.Json;

/** The JSON payloads the runtime publishes (documented in docs/mqtt.md). */
public final class Messages {
    private static final DateTimeFormatter ISO_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Messages() {}

    /** ISO-8601 UTC with milliseconds, always the same length: {@code 2026-11-22T00:39:29.123Z}. */
    public static String iso(Instant t) {
        return ISO_UTC.format(t);
    }

    /**
     * One classified frame.
     *
     * @param latencyUs preprocessing plus inference, in microseconds
     * @param source    where the frame came from (a file name, {@code camera}, {@code idx#17})
     * @param trueClass the true class when known (replayed datasets), else -1
     * @param trueLabel its label, or {@code null}
     */
    public static String prediction(DeviceIdentity id, long seq, Instant ts, Prediction p, long latencyUs, String source,
                                    int trueClass, String trueLabel) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", id.device());
        m.put("seq", seq);
        m.put("boot", id.boot());
        m.put("ts", iso(ts));
        m.put("label", p.label());
        m.put("class", p.classIndex());
        m.put("confidence", round4(p.confidence()));
        List<Map<String, Object>> top = new ArrayList<>();
        for (Prediction.Ranked s : p.top().subList(0, Math.min(3, p.top().size()))) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", s.label());
            t.put("p", round4(s.p()));
            top.add(t);
        }
        m.put("top", top);
        m.put("latency_us", latencyUs);
        m.put("model", id.model());
        m.put("source", source);
        if (trueClass >= 0) {
            m.put("true_class", trueClass);
            m.put("true_label", trueLabel);
        }
        return Json.write(m);
    }

    /** The retained status while connected, with the counters an operator watches. */
    public static String online(DeviceIdentity id, Instant now, long dropped, StatusCounters c) {
        Map<String, Object> m = status(id, "online");
        m.put("ts", iso(now));
        m.put("dropped", dropped);
        m.put("camera_restarts", c.cameraRestarts());
        m.put("camera", c.camera());
        m.put("uptime_s", Math.max(0, java.time.Duration.between(id.started(), now).toSeconds()));
        m.put("frames", c.frames());
        m.put("frames_skipped", c.framesSkipped());
        m.put("frames_dropped", c.framesDropped());
        m.put("fps", Math.round(c.fps() * 100) / 100.0);
        m.put("predictions", c.predictions());
        m.put("paused", c.paused());
        if (!Double.isNaN(c.cpuTempC())) {
            m.put("cpu_temp_c", Math.round(c.cpuTempC() * 10) / 10.0);
        }
        m.put("frames_overwritten", c.losses().overwritten());
        m.put("frames_skipped_fps", c.losses().skippedByFps());
        m.put("watch_overflows", c.losses().watchOverflows());
        m.put("frame_layout_mismatches", c.losses().layoutMismatches());
        return Json.write(m);
    }

    /**
     * The reply to a bad command on {@code PREFIX/DEVICE/error}.
     *
     * @param command the command's name when it was understood that far, else {@code null}
     */
    public static String commandError(DeviceIdentity id, Instant now, String command, String problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", id.device());
        m.put("ts", iso(now));
        if (command != null) {
            m.put("command", command);
        }
        m.put("error", problem);
        return Json.write(m);
    }

    /** The retained status of a runtime that refused to run, with the reason. */
    public static String error(DeviceIdentity id, String reason) {
        Map<String, Object> m = status(id, "error");
        m.put("error", reason);
        return Json.write(m);
    }

    /** The retained status after the runtime stopped, sent by it or by the broker as its last will. */
    public static String offline(DeviceIdentity id) {
        return Json.write(status(id, "offline"));
    }

    private static Map<String, Object> status(DeviceIdentity id, String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("device", id.device());
        m.put("model", id.model());
        m.put("version", id.version());
        m.put("boot", id.boot());
        m.put("started", iso(id.started()));
        return m;
    }

    /** Where Home Assistant's "origin" sends a user for help: the project's home (its docs/mqtt.md explains the sensor). */
    public static final String SUPPORT_URL = "https://github.com/edgeml/edgeml";

    /**
     * Home Assistant MQTT discovery for a sensor whose state is the predicted label. The entity id is suggested by
     * {@code default_entity_id} ({@code object_id} is deprecated since Home Assistant 2025.10 and ignored from
     * 2026.4); {@code origin} names the software that publishes it.
     */
    public static String discovery(DeviceIdentity id, Topics topics) {
        Map<String, Object> availability = new LinkedHashMap<>();
        availability.put("topic", topics.status());
        availability.put("value_template", "{{ value_json.state }}");
        availability.put("payload_available", "online");
        availability.put("payload_not_available", "offline");
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of("edgeml_" + id.device()));
        device.put("name", "edgeml " + id.device());
        device.put("manufacturer", "edgeml");
        device.put("model", id.model());
        device.put("sw_version", id.version());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "Prediction");
        m.put("unique_id", "edgeml_" + id.device() + "_prediction");
        m.put("default_entity_id", "sensor." + id.device() + "_prediction");
        m.put("state_topic", topics.prediction());
        m.put("value_template", "{{ value_json.label }}");
        m.put("json_attributes_topic", topics.prediction());
        m.put("availability", List.of(availability));
        m.put("icon", "mdi:eye");
        m.put("device", device);
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", "edgeml");
        origin.put("sw_version", id.version());
        origin.put("support_url", SUPPORT_URL);
        m.put("origin", origin);
        return Json.write(m);
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
