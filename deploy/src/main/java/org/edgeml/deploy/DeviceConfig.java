package org.edgeml.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.ModelVerifier;
import org.edgeml.runtime.config.RunConfigParser;

/**
 * The runtime options for one device ({@code run}'s keys without dashes), rendered as the {@code edgeml.conf}
 * the service starts the runtime with ({@code --config}); keys keep the order they were given in. File options hold local paths until rendered; the
 * rendered file points at their copies in the release.
 */
public record DeviceConfig(Map<String, String> options) {

    /** File options, and the name of their copy in a release. */
    public static final Map<String, String> FILE_OPTIONS = fileOptions();
    public static final String DEFAULT_SOURCE = "rpicam";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public DeviceConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        for (Map.Entry<String, String> e : options.entrySet()) {
            String value = e.getValue();
            if (value.contains("#") || value.contains("\n") || value.contains("\r") || !value.equals(value.strip())) {
                throw new EdgemlException("--" + e.getKey() + ": '" + value.strip() + "' cannot go into the device's config file"
                        + " (no '#', line breaks or surrounding spaces)");
            }
        }
        String device = options.get("device");
        if (device != null && !DEVICE_ID.matcher(device).matches()) {
            throw new EdgemlException("--device: '" + device + "' must be 1-64 letters, digits, '-' or '_'");
        }
    }

    private static Map<String, String> fileOptions() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("password-file", "mqtt-password");
        files.put("cafile", "ca.pem");
        files.put("cert", "client.pem");
        files.put("key", "client.key");
        files.put("trusted-key", "trusted-key.pub");
        return java.util.Collections.unmodifiableMap(files);
    }

    /** These options with {@code overrides} on top (an inventory line's options over the command line's). */
    public DeviceConfig overlay(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(options);
        merged.putAll(overrides);
        return new DeviceConfig(merged);
    }

    /** Fills in the device id (when not given) and the camera source (when no source is given). */
    public DeviceConfig withDefaults(String defaultDeviceId) {
        Map<String, String> filled = new LinkedHashMap<>(options);
        filled.putIfAbsent("device", defaultDeviceId);
        filled.putIfAbsent("source", DEFAULT_SOURCE);
        return new DeviceConfig(filled);
    }

    public String deviceId() {
        return options.get("device");
    }

    /** {@code rpicam}, {@code dir} or {@code idx}. */
    public String sourceKind() {
        String source = options.getOrDefault("source", DEFAULT_SOURCE);
        int colon = source.indexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }

    /**
     * Refuses (exit code 3) a model that a device with this config's {@code trusted-key} would refuse, so it is
     * never uploaded; without a trusted key every valid model passes.
     */
    public void requireTrusted(Path model) {
        String trusted = options.get("trusted-key");
        if (trusted == null) {
            return;
        }
        ModelVerifier verifier = ModelVerifier.trusting(Path.of(trusted), "--trusted-key");
        verifier.problemWith(Q8ModelFile.read(model)).ifPresent(problem -> {
            throw new EdgemlException(model + ": not deployed: " + problem, EdgemlException.EXIT_MODEL_REFUSED, null);
        });
    }

    /**
     * Refuses (exit code 2) what the runtime would refuse at start, with its message: checked here, before any
     * SSH. Paths are not looked at: they name the device's files, or local files that are uploaded.
     */
    public void checkAsRun() {
        RunConfigParser.check(options, Path.of("model.q8"));
    }

    public String get(String key) {
        return options.get(key);
    }

    /** Local files to upload, by option key. */
    public Map<String, Path> localFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        FILE_OPTIONS.keySet().forEach(key -> {
            if (options.containsKey(key)) {
                files.put(key, Path.of(options.get(key)));
            }
        });
        return files;
    }

    /**
     * The config file's text, for a release in {@code releaseDir}. Unless the options name one, the MQTT store
     * ({@code persistence-dir}) is {@code mqtt/} next to the health file, in the state directory outside
     * {@code releases/}: in-flight and offline-buffered messages then survive a crash, a reboot or a redeploy.
     */
    public String render(String releaseDir, String healthFile, String releaseId, String modelId) {
        StringBuilder out = new StringBuilder();
        out.append("# edgeml runtime configuration, written by 'edgeml deploy'. Same keys as 'edgeml run' flags.\n")
                .append("# release ").append(releaseId).append(", model ").append(modelId).append('\n')
                .append("model = ").append(releaseDir).append("/model.q8\n");
        for (Map.Entry<String, String> e : options.entrySet()) {
            String file = FILE_OPTIONS.get(e.getKey());
            out.append(e.getKey()).append(" = ").append(file == null ? e.getValue() : releaseDir + "/" + file).append('\n');
        }
        out.append("# where the runtime reports its state for 'edgeml deploy' to verify\n")
                .append("health-file = ").append(healthFile).append('\n');
        if (!options.containsKey("persistence-dir")) {
            String stateDir = healthFile.substring(0, healthFile.lastIndexOf('/'));
            out.append("# unsent MQTT messages, kept on disk across crashes, reboots and redeploys\n")
                    .append("persistence-dir = ").append(stateDir).append("/mqtt\n");
        }
        return out.toString();
    }
}
