package org.edgeml.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.core.io.Sha256;
import org.edgeml.deploy.device.DeviceScript;
import org.edgeml.host.io.TempDirs;

/**
 * Everything one device's release directory will hold, staged locally: the runtime jar, the model, the
 * rendered config, the JVM options, the systemd unit, the supervisor script, the uploaded secrets, and
 * {@code RELEASE}, the manifest with every other file's SHA-256 (checked on the device with {@code sha256sum -c}).
 */
public record Release(String id, String modelId, List<File> files, Path staging) implements AutoCloseable {

    /** One file of the release: its name in the release directory, where it is here, its digest and mode. */
    public record File(String name, Path local, String sha256, String mode) {
        public File {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("bad release file name " + name);
            }
        }

        static File of(String name, Path local, String mode) {
            if (!Files.isRegularFile(local)) {
                throw new EdgemlException(local + ": no such file; check the path");
            }
            try {
                return new File(name, local, Sha256.hex(local), mode);
            } catch (IOException e) {
                throw new EdgemlException(local + ": cannot read (" + e.getMessage() + ")");
            }
        }
    }

    public static final String MANIFEST = "RELEASE";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    public Release {
        files = List.copyOf(files);
    }

    /** A release id: the UTC time (to the millisecond, so ids sort by age) and the model id. */
    public static String newId(Instant now, String modelId) {
        return STAMP.format(now) + "-" + modelId;
    }

    /** The model id a release id ends with. */
    public static String modelIdOf(String releaseId) {
        int dash = releaseId.lastIndexOf('-');
        return dash < 0 ? releaseId : releaseId.substring(dash + 1);
    }

    /**
     * Stages a release for a device whose installation lives under {@code prefix} and whose Java is {@code java}.
     * Secrets and the config get mode 0600 (the device narrows or widens to 0640 for the service group).
     */
    public static Release stage(String id, String modelId, Path model, Path runtimeJar, DeviceConfig config, String prefix,
                                String java, List<String> jvmOptions) {
        String releaseDir = prefix + "/releases/" + id;
        Path staging;
        try {
            staging = Files.createTempDirectory("edgeml-release-");
            List<File> files = new ArrayList<>();
            files.add(File.of("edge-runtime.jar", runtimeJar, "0644"));
            files.add(File.of("model.q8", model, "0644"));
            for (Map.Entry<String, Path> e : config.localFiles().entrySet()) {
                files.add(File.of(DeviceConfig.FILE_OPTIONS.get(e.getKey()), e.getValue(), "0600"));
            }
            files.add(write(staging, "edgeml.conf", config.render(releaseDir, prefix + "/state/health.json", id, modelId), "0600"));
            files.add(write(staging, "jvm.args", JvmOptions.render(jvmOptions), "0644"));
            files.add(write(staging, SystemdUnit.NAME, SystemdUnit.render(prefix, java), "0644"));
            files.add(write(staging, DeviceScript.SUPERVISOR.fileName(), DeviceScript.SUPERVISOR.text(), "0644"));
            files.add(write(staging, MANIFEST, manifest(id, modelId, config, files), "0644"));
            return new Release(id, modelId, files, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the release locally", e);
        }
    }

    private static File write(Path dir, String name, String text, String mode) throws IOException {
        Path file = dir.resolve(name);
        AtomicFiles.writeString(file, text);
        return File.of(name, file, mode);
    }

    private static String manifest(String id, String modelId, DeviceConfig config, List<File> files) {
        StringBuilder out = new StringBuilder("# edgeml release manifest: key = value lines, then every file's SHA-256 (sha256sum -c format)\n")
                .append("release = ").append(id).append('\n')
                .append("model-id = ").append(modelId).append('\n')
                .append("device = ").append(config.deviceId()).append('\n')
                .append("created = ").append(Instant.now()).append('\n');
        for (File f : files) {
            out.append(f.sha256()).append("  ").append(f.name()).append('\n');
        }
        return out.toString();
    }

    public long totalBytes() {
        return files.stream().mapToLong(f -> f.local().toFile().length()).sum();
    }

    public String configText() {
        try {
            return Files.readString(staging.resolve("edgeml.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the local staging directory. */
    @Override
    public void close() {
        TempDirs.deleteQuietly(staging);
    }
}
