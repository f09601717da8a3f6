package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the nearest thing to a Pi: an arm64 Debian bookworm userland under qemu-user (binfmt), with its
 * own sshd and OpenJDK 17, gets the real runtime jar and an int8 model through the real deploy, and its
 * predictions arrive at a mosquitto on this machine. Building the rootfs takes minutes the first time
 * ({@code scripts/arm64-rootfs}); the JVM under emulation takes tens of seconds to start.
 */
class DeployToArm64Test {
    private static final Path RUNTIME_JAR = Path.of("..", "edge-runtime", "target", "edge-runtime.jar");
    private static final String PREFIX = "/opt/edgeml";
    private static final String DATASET = "/srv/edgeml-e2e";
    private static final String DEVICE = "qemu-pi";
    private static final int PREDICTIONS = 10;
    private static final int SIDE = 8;

    private static Path rootfs;

    @TempDir
    Path tmp;

    @BeforeAll
    @Timeout(value = 45, unit = TimeUnit.MINUTES)
    static void buildTheRootfs() throws Exception {
        Sshd.assumeAvailable();
        MosquittoBroker.assumeInstalled();
        rootfs = Arm64Rootfs.ensure();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void deploysTheRealRuntimeToArm64AndItsPredictionsArrive() throws Exception {
        if (!Files.isRegularFile(RUNTIME_JAR)) {
            fail(RUNTIME_JAR.toAbsolutePath().normalize() + " is missing: build it first (mvn -pl edge-runtime -am package, "
                    + "or mvn verify from the root, which packages edge-runtime before deploy's tests)");
        }
        Path model = tmp.resolve("model.q8");
        Q8ModelFile.write(TestModels.model(7, SIDE, Activation.RELU, 16, 4), model);
        String modelId = Q8ModelFile.read(model).id();
        SshLab lab = new SshLab(Files.createDirectories(tmp.resolve("ssh")));

        try (ChrootDevice device = ChrootDevice.start(rootfs, lab);
             MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(tmp.resolve("mqtt")))) {
            // A fresh device: no releases from an earlier run; the test set lives on the device, as a Pi's would.
            ChrootDevice.deleteTree(device.inside(PREFIX));
            IdxTestFiles.writeDataset(device.inside(DATASET), 2000, SIDE, 4, false);
            lab.trust(device.port());
            String host = "root@127.0.0.1:" + device.port();
            assertEquals("aarch64", ssh(lab, device.port(), "uname -m"), "qemu-user reports the emulated machine");

            MqttClient watcher = new MqttClient(broker.url(), "e2e-watcher", new MemoryPersistence());
            Queue<Map<String, Object>> predictions = new ConcurrentLinkedQueue<>();
            Queue<Map<String, Object>> statuses = new ConcurrentLinkedQueue<>();
            watcher.connect();
            try {
                watcher.subscribe("edgeml/" + DEVICE + "/prediction", 1, (t, m) -> predictions.add(json(m.getPayload())));
                watcher.subscribe("edgeml/" + DEVICE + "/status", 1, (t, m) -> statuses.add(json(m.getPayload())));

                String[] args = concat(new String[] {"--host", host, "--model", model.toString(),
                    "--runtime-jar", RUNTIME_JAR.toString(), "--prefix", PREFIX, "--source", "idx:" + DATASET,
                    "--broker", broker.url(), "--device", DEVICE, "--fps", "5",
                    "--verify", "mqtt", "--verify-timeout", "300"}, lab.flags());
                Cli.Run deploy = Cli.run(new DeployCommand(), args);

                assertEquals(0, deploy.exit(), deploy.all() + runtimeLog(device));
                assertTrue(deploy.err().contains("restarting the runtime (supervisor)"), deploy.err());
                assertTrue(deploy.out().contains("running under supervisor"), "no systemd in a chroot: " + deploy.out());
                assertTrue(Files.readSymbolicLink(device.inside(PREFIX + "/current")).toString().endsWith("-" + modelId));

                awaitCount(predictions, PREDICTIONS, 180, () -> runtimeLog(device));
                for (Map<String, Object> p : List.copyOf(predictions)) {
                    assertEquals(modelId, p.get("model"), p.toString());
                    assertEquals(DEVICE, p.get("device"), p.toString());
                    assertTrue(p.containsKey("true_class"), "replays the IDX test set: " + p);
                }
                assertTrue(statuses.stream().anyMatch(online(modelId)), "live status online: " + statuses);
            } finally {
                watcher.disconnect();
                watcher.close();
            }
            assertEquals(modelId, retainedStatus(broker, modelId).get("model"));
        }
    }

    private static Predicate<Map<String, Object>> online(String modelId) {
        return s -> "online".equals(s.get("state")) && modelId.equals(s.get("model"));
    }

    /** What a client connecting now is told: the retained status, while the runtime still runs. */
    private static Map<String, Object> retainedStatus(MosquittoBroker broker, String modelId) throws Exception {
        MqttClient late = new MqttClient(broker.url(), "e2e-late", new MemoryPersistence());
        Queue<Map<String, Object>> retained = new ConcurrentLinkedQueue<>();
        late.connect();
        try {
            late.subscribe("edgeml/" + DEVICE + "/status", 1, (t, m) -> {
                if (m.isRetained()) {
                    retained.add(json(m.getPayload()));
                }
            });
            awaitCount(retained, 1, 30, () -> "");
        } finally {
            late.disconnect();
            late.close();
        }
        Map<String, Object> status = retained.peek();
        assertTrue(online(modelId).test(status), "retained status: " + status);
        return status;
    }

    private static Map<String, Object> json(byte[] payload) {
        return Json.parseObject(new String(payload, StandardCharsets.UTF_8));
    }

    interface Diagnosis {
        String get() throws IOException;
    }

    private static void awaitCount(Queue<?> queue, int count, int seconds, Diagnosis diagnosis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (queue.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("got " + queue.size() + " of " + count + " messages within " + seconds + " s" + diagnosis.get());
            }
            Thread.sleep(200);
        }
    }

    private static String runtimeLog(ChrootDevice device) throws IOException {
        Path log = device.inside(PREFIX + "/state/runtime.log");
        return Files.exists(log) ? "\nruntime.log on the device:\n" + Files.readString(log) : "\n(no runtime.log on the device)";
    }

    /** Runs a command on the device with the system ssh client, as a user would. */
    private static String ssh(SshLab lab, int port, String command) throws Exception {
        Process p = new ProcessBuilder("ssh", "-F", lab.sshConfig.toString(), "-o", "UserKnownHostsFile=" + lab.knownHosts,
                "-o", "BatchMode=yes", "-p", Integer.toString(port), "root@127.0.0.1", command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("ssh " + command + ": " + out);
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
