package org.edgeml.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.edgeml.core.engine.Prediction;
import org.edgeml.core.json.Json;
import org.junit.jupiter.api.Test;

class MessagesTest {
    static final DeviceIdentity ID = new DeviceIdentity("pi1", "fm-128", "0.1.0", "b7f3", Instant.parse("2026-11-22T08:00:00Z"));

    @Test
    void predictionCarriesEveryDocumentedField() {
        Prediction p = new Prediction(9, "Ankle boot", 0.912345,
                List.of(new Prediction.Ranked(9, "Ankle boot", 0.912345), new Prediction.Ranked(7, "Sneaker", 0.05),
                        new Prediction.Ranked(5, "Sandal", 0.03), new Prediction.Ranked(8, "Bag", 0.007)));
        Map<String, Object> m = Json.parseObject(Messages.prediction(ID, 12, Instant.parse("2026-11-22T08:00:01.5Z"), p,
                850, "idx#12", 7, "Sneaker"));
        assertEquals(List.of("device", "seq", "boot", "ts", "label", "class", "confidence", "top", "latency_us", "model",
                "source", "true_class", "true_label"), List.copyOf(m.keySet()));
        assertEquals("2026-11-22T08:00:01.500Z", m.get("ts"));
        assertEquals(0.9123, m.get("confidence"));
        assertEquals(3, ((List<?>) m.get("top")).size());
        assertEquals(Map.of("label", "Sneaker", "p", 0.05), ((List<?>) m.get("top")).get(1));
        assertEquals(850L, m.get("latency_us"));
        assertEquals("Sneaker", m.get("true_label"));
    }

    @Test
    void noTrueLabelWhenUnknown() {
        Prediction p = new Prediction(1, "Trouser", 1, List.of());
        assertFalse(Json.parseObject(Messages.prediction(ID, 0, Instant.EPOCH, p, 5, "camera", -1, null)).containsKey("true_class"));
    }

    @Test
    void statusAndDiscovery() {
        Map<String, Object> online = Json.parseObject(Messages.online(ID, Instant.parse("2026-11-22T09:00:00Z"), 3,
                new StatusCounters(1800, 4, 20, 0.5, "stalled", 2, 1796, 48.53, StatusCounters.SourceLosses.NONE)));
        assertEquals("online", online.get("state"));
        assertEquals(3L, online.get("dropped"));
        assertEquals(2L, online.get("camera_restarts"));
        assertEquals("stalled", online.get("camera"));
        assertEquals(3600L, online.get("uptime_s"), "08:00 to 09:00");
        assertEquals(1800L, online.get("frames"));
        assertEquals(4L, online.get("frames_skipped"));
        assertEquals(20L, online.get("frames_dropped"));
        assertEquals(0.5, online.get("fps"));
        assertEquals(1796L, online.get("predictions"));
        assertEquals(48.5, online.get("cpu_temp_c"));
        assertFalse(Json.parseObject(Messages.online(ID, Instant.parse("2026-11-22T09:00:00Z"), 0, StatusCounters.none()))
                .containsKey("cpu_temp_c"), "no temperature where the system gives none");
        Map<String, Object> counted = Json.parseObject(Messages.online(ID, Instant.parse("2026-11-22T09:00:00Z"), 0,
                new StatusCounters(0, 2, 3, 0, "running", 1, 0, Double.NaN, new StatusCounters.SourceLosses(3, 4, 5, 6))));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(counted.get("camera_restarts"), counted.get("frames_skipped"),
                counted.get("frames_overwritten"), counted.get("frames_skipped_fps"), counted.get("watch_overflows"),
                counted.get("frame_layout_mismatches")));
        assertEquals(Map.of("state", "offline", "device", "pi1", "model", "fm-128", "version", "0.1.0", "boot", "b7f3",
                "started", "2026-11-22T08:00:00.000Z"), Json.parseObject(Messages.offline(ID)));

        Map<String, Object> d = Json.parseObject(Messages.discovery(ID, new Topics("edgeml", "pi1")));
        assertEquals("edgeml/pi1/prediction", d.get("state_topic"));
        assertEquals("{{ value_json.label }}", d.get("value_template"));
        assertEquals("edgeml/pi1/prediction", d.get("json_attributes_topic"));
        assertEquals("edgeml_pi1_prediction", d.get("unique_id"));
        assertEquals("sensor.pi1_prediction", d.get("default_entity_id"));
        assertFalse(d.containsKey("object_id"), "deprecated since Home Assistant 2025.10, ignored from 2026.4");
        Map<?, ?> origin = (Map<?, ?>) d.get("origin");
        assertEquals("edgeml", origin.get("name"));
        assertEquals("0.1.0", origin.get("sw_version"));
        assertTrue(((String) origin.get("support_url")).startsWith("https://"), origin.toString());
        Map<?, ?> availability = (Map<?, ?>) ((List<?>) d.get("availability")).get(0);
        assertEquals("edgeml/pi1/status", availability.get("topic"));
        assertEquals("{{ value_json.state }}", availability.get("value_template"));
        Map<?, ?> device = (Map<?, ?>) d.get("device");
        assertEquals(List.of("edgeml_pi1"), device.get("identifiers"));
        assertEquals("fm-128", device.get("model"));
        assertEquals("0.1.0", device.get("sw_version"));
        assertEquals("homeassistant/sensor/pi1_prediction/config", new Topics("edgeml", "pi1").discovery());
    }
}
