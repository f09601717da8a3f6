package org.edgeml.deploy.verify;

import java.util.Map;
import org.edgeml.core.json.Json;

/**
 * The runtime's own account of itself, as written to its health file and published as its MQTT status:
 * a JSON object with at least {@code state} ({@code starting}, {@code online}, {@code error} or
 * {@code offline}) and {@code model} (the model id); {@code error} holds the reason when state is error.
 * {@code run} tells one process from another: its {@code boot} id, or else its {@code started} time;
 * {@code null} when the report has neither.
 */
public record HealthReport(String state, String model, String error, String run) {

    /** Parses a report; {@code null} when the text is not a JSON object with a state. */
    public static HealthReport parse(String json) {
        try {
            Map<String, Object> o = Json.parseObject(json.strip());
            Object state = o.get("state");
            if (!(state instanceof String s)) {
                return null;
            }
            Object model = o.get("model");
            Object error = o.get("error");
            Object run = o.get("boot") instanceof String boot ? boot : o.get("started");
            return new HealthReport(s, model instanceof String m ? m : null, error == null ? null : error.toString(),
                    run instanceof String r ? r : null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public boolean onlineWith(String modelId) {
        return "online".equals(state) && modelId.equals(model);
    }

    public boolean failed() {
        return "error".equals(state);
    }

    public String describe() {
        return "state " + state + (model == null ? "" : ", model " + model) + (run == null ? "" : ", boot " + run)
                + (error == null ? "" : ", error: " + error);
    }
}
