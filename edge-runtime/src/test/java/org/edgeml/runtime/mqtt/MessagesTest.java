package org.edgeml.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.source.SourceCounts;
import org.junit.jupiter.api.Test;

class MessagesTest {
    static final DeviceIdentity ID = new DeviceIdentity("pi1", "fm-128", "0.1.0", "b7f3", Instant.parse("2026-11-22T08:00:00Z"));

    @Test
    void predictionCarriesEveryDocumentedField() {
        Prediction p = new Prediction(12, Instant.parse("2026-11-22T08:00:01.5Z"), 9, "Ankle boot", 0.912345,
                List.of(new Prediction.Scored("Ankle boot", 0.912345), new Prediction.Scored("Sneaker", 0.05),
                        new Prediction.Scored("Sandal", 0.03), new Prediction.Scored("Bag", 0.007)),
                850, "idx#12", 7, "Sneaker");
        Map<String, Object> m = Json.parseObject(Messages.prediction(ID, p));
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
        Prediction p = new Prediction(0, Instant.EPOCH, 1, "Trouser", 1, List.of(), 5, "camera", -1, null);
        assertFalse(Json.parseObject(Messages.prediction(ID, p)).containsKey("true_class"));
    }

    @Test
    void statusAndDiscovery() {
        Map<String, Object> online = Json.parseObject(Messages.online(ID, Instant.parse("2026-11-22T09:00:00Z"), 3, 2));
        assertEquals("online", online.get("state"));
        assertEquals(3L, online.get("dropped"));
        assertEquals(2L, online.get("camera_restarts"));
        Map<String, Object> counted = Json.parseObject(Messages.online(ID, Instant.parse("2026-11-22T09:00:00Z"), 0,
                new SourceCounts(1, 2, 3, 4, 5, 6)));
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
