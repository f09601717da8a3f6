package org.edgeml.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.mqtt.DeviceIdentity;
import org.edgeml.runtime.mqtt.Messages;
import org.edgeml.runtime.mqtt.StatusCounters;

/**
 * The runtime's state as a small JSON file ({@code --health-file}), rewritten atomically: what a deploy
 * or a supervisor reads when there is no broker to ask. {@code state} is {@code online} while running,
 * {@code error} when the model was refused, {@code offline} after a clean stop.
 */
final class HealthFile {
    private final Path file;
    private final DeviceIdentity identity;

    HealthFile(Path file, DeviceIdentity identity) {
        this.file = file;
        this.identity = identity;
    }

    /** @param counters the runtime's counters, or {@code null} before it ran (a refused model) */
    void write(String state, boolean mqttConnected, long dropped, StatusCounters counters, String error) {
        if (file == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("device", identity.device());
        m.put("model", identity.model());
        m.put("version", identity.version());
        m.put("boot", identity.boot());
        m.put("started", Messages.iso(identity.started()));
        m.put("updated", Messages.iso(Instant.now()));
        m.put("pid", ProcessHandle.current().pid());
        StatusCounters c = counters == null ? StatusCounters.none() : counters;
        m.put("predictions", c.predictions());
        m.put("mqtt", mqttConnected ? "connected" : "disconnected");
        m.put("dropped", dropped);
        m.put("camera_restarts", c.cameraRestarts());
        m.put("camera", c.camera());
        m.put("frames", c.frames());
        if (error != null) {
            m.put("error", error);
        }
        try {
            AtomicFiles.writeString(file, Json.write(m) + "\n");
        } catch (IOException e) {
            System.getLogger(HealthFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot write the health file " + file + ": " + e.getMessage());
        }
    }
}
