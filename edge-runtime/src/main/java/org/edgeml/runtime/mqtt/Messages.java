package org.edgeml.runtime.mqtt;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.source.SourceCounts;

/** The JSON payloads the runtime publishes (documented in docs/mqtt.md). */
public final class Messages {
    private static final DateTimeFormatter ISO_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Messages() {}

    /** ISO-8601 UTC with milliseconds, always the same length: {@code 2026-11-22T00:39:29.123Z}. */
    public static String iso(Instant t) {
        return ISO_UTC.format(t);
    }

    public static String prediction(DeviceIdentity id, Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", id.device());
        m.put("seq", p.seq());
        m.put("boot", id.boot());
        m.put("ts", iso(p.ts()));
        m.put("label", p.label());
        m.put("class", p.classIndex());
        m.put("confidence", round4(p.confidence()));
        List<Map<String, Object>> top = new ArrayList<>();
        for (Prediction.Scored s : p.top().subList(0, Math.min(3, p.top().size()))) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", s.label());
            t.put("p", round4(s.p()));
            top.add(t);
        }
        m.put("top", top);
        m.put("latency_us", p.latencyUs());
        m.put("model", id.model());
        m.put("source", p.source());
        if (p.trueClass() >= 0) {
            m.put("true_class", p.trueClass());
            m.put("true_label", p.trueLabel());
        }
        return Json.write(m);
    }

    public static String online(DeviceIdentity id, Instant now, long dropped, long cameraRestarts) {
        return online(id, now, dropped, SourceCounts.restarts(cameraRestarts));
    }

    /** The retained status while connected, with the counters an operator watches. */
    public static String online(DeviceIdentity id, Instant now, long dropped, SourceCounts source) {
        Map<String, Object> m = status(id, "online");
        m.put("ts", iso(now));
        m.put("dropped", dropped);
        m.put("camera_restarts", source.cameraRestarts());
        m.put("frames_skipped", source.skipped());
        m.put("frames_overwritten", source.overwritten());
        m.put("frames_skipped_fps", source.skippedByFps());
        m.put("watch_overflows", source.watchOverflows());
        m.put("frame_layout_mismatches", source.layoutMismatches());
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

    /** Home Assistant MQTT discovery for a sensor whose state is the predicted label. */
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
        m.put("object_id", id.device() + "_prediction");
        m.put("state_topic", topics.prediction());
        m.put("value_template", "{{ value_json.label }}");
        m.put("json_attributes_topic", topics.prediction());
        m.put("availability", List.of(availability));
        m.put("icon", "mdi:eye");
        m.put("device", device);
        return Json.write(m);
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
