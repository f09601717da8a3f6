package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
 * {@code deploy --service systemd} for real: a Debian with systemd as PID 1 ({@link NspawnDevice}) gets the real
 * runtime jar through the real deploy, and systemd runs it as the service user {@code edgeml}, brings it back
 * after a crash, runs the previous release again when a new one does not come up (the deploy quoting the
 * journal), and stops it cleanly (the unit's result {@code success}, the retained status {@code offline}).
 */
class DeploySystemdTest {
    private static final Path RUNTIME_JAR = Path.of("..", "edge-runtime", "target", "edge-runtime.jar");
    private static final String PREFIX = "/opt/edgeml";
    private static final String DATASET = "/srv/edgeml-e2e";
    private static final String DEVICE = "nspawn-pi";
    private static final int SIDE = 8;

    private static Path rootfs;

    @TempDir
    Path tmp;

    @BeforeAll
    @Timeout(value = 35, unit = TimeUnit.MINUTES)
    static void buildTheRootfs() throws Exception {
        Sshd.assumeAvailable();
        MosquittoBroker.assumeInstalled();
        rootfs = SystemdRootfs.ensure();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void systemdRunsTheRuntimeAsTheServiceUserRestartsItRollsBackAndStopsItCleanly() throws Exception {
        if (!Files.isRegularFile(RUNTIME_JAR)) {
            fail(RUNTIME_JAR.toAbsolutePath().normalize() + " is missing: build it first (mvn -pl edge-runtime -am package)");
        }
        Path model = tmp.resolve("model.q8");
        Q8ModelFile.write(TestModels.model(7, SIDE, Activation.RELU, 16, 4), model);
        String modelId = Q8ModelFile.read(model).id();
        Path dataset = Files.createDirectories(tmp.resolve("dataset"));
        IdxTestFiles.writeDataset(dataset, 200, SIDE, 4, false);
        SshLab lab = new SshLab(Files.createDirectories(tmp.resolve("ssh")));

        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(tmp.resolve("mqtt")));
             NspawnDevice device = NspawnDevice.boot(rootfs, lab, List.<String[]>of(new String[] {dataset.toString(), DATASET}))) {
            lab.trust(device.port());
            assertEquals("systemd", ssh(lab, device, "cat /proc/1/comm"), "systemd is the device's PID 1");

            Cli.Run deploy = Cli.run(new DeployCommand(), concat(new String[] {"--host", "root@127.0.0.1:" + device.port(),
                "--model", model.toString(), "--runtime-jar", RUNTIME_JAR.toString(), "--prefix", PREFIX,
                "--source", "idx:" + DATASET, "--broker", broker.url(), "--device", DEVICE, "--fps", "5",
                "--service", "systemd", "--verify", "mqtt", "--verify-timeout", "120"}, lab.flags()));
            assertEquals(0, deploy.exit(), deploy.all() + journal(lab, device));
            assertTrue(deploy.out().contains("running under systemd"), deploy.out());

            assertEquals("enabled", ssh(lab, device, "systemctl is-enabled edgeml.service"), "started at boot too");
            long first = mainPid(lab, device);
            assertEquals("edgeml", ssh(lab, device, "ps -o user= -p " + first), "the runtime's user");
            assertEquals("edgeml", ssh(lab, device, "stat -c %U " + PREFIX + "/state/health.json"), "who writes the state");

            ssh(lab, device, "kill -KILL " + first);
            long second = awaitNewMainPid(lab, device, first);
            assertEquals("1", ssh(lab, device, "systemctl show -p NRestarts --value edgeml.service"));
            assertEquals("edgeml", ssh(lab, device, "ps -o user= -p " + second), "the restarted runtime's user");
            assertEquals("online", awaitRetainedState(broker, "online"), "the restarted runtime is back online");

            // A release whose JVM cannot start: systemd keeps restarting it, the deploy gives up, goes back to
            // the first release, sees that one come up, and quotes the runtime's output from the journal.
            String firstRelease = ssh(lab, device, "basename $(readlink " + PREFIX + "/current)");
            Cli.Run broken = Cli.run(new DeployCommand(), concat(new String[] {"--host", "root@127.0.0.1:" + device.port(),
                "--model", model.toString(), "--runtime-jar", RUNTIME_JAR.toString(), "--prefix", PREFIX,
                "--source", "idx:" + DATASET, "--broker", broker.url(), "--device", DEVICE, "--fps", "5",
                "--service", "systemd", "--verify", "mqtt", "--verify-timeout", "10", "--jvm-option", "-Xmx1k"},
                lab.flags()));
            assertEquals(1, broken.exit(), broken.all());
            assertTrue(broken.err().contains("rolled back") && broken.err().contains("Too small maximum heap"),
                    "rolled back, with the journal's lines: " + broken.err());
            assertEquals(firstRelease, ssh(lab, device, "basename $(readlink " + PREFIX + "/current)"));
            assertEquals("edgeml", ssh(lab, device, "ps -o user= -p " + mainPid(lab, device)), "the rolled-back runtime's user");

            ssh(lab, device, "systemctl stop edgeml.service");
            assertEquals("ActiveState=inactive\nResult=success", ssh(lab, device,
                    "systemctl show -p ActiveState -p Result edgeml.service | sort"), journal(lab, device));
            assertEquals("offline", awaitRetainedState(broker, "offline"), "a clean stop says offline");
        }
    }

    private static long mainPid(SshLab lab, NspawnDevice device) throws Exception {
        long pid = Long.parseLong(ssh(lab, device, "systemctl show -p MainPID --value edgeml.service"));
        assertNotEquals(0, pid, "edgeml.service runs");
        return pid;
    }

    /** Restart=on-failure with RestartSec=5: a new main process within 30 s. */
    private static long awaitNewMainPid(SshLab lab, NspawnDevice device, long old) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String[] state = ssh(lab, device, "systemctl show -p MainPID --value -p ActiveState --value edgeml.service")
                    .split("\n");
            long pid = Long.parseLong(state[0].strip());
            if (pid != 0 && pid != old && state[1].strip().equals("active")) {
                return pid;
            }
            Thread.sleep(250);
        }
        fail("systemd did not restart the killed runtime within 30 s" + journal(lab, device));
        return 0;
    }

    /** The retained status a client connecting now is told, once its state is {@code wanted} (within 60 s). */
    private static String awaitRetainedState(MosquittoBroker broker, String wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "none";
        while (System.nanoTime() < deadline) {
            MqttClient late = new MqttClient(broker.url(), "systemd-test-" + System.nanoTime(), new MemoryPersistence());
            Queue<Map<String, Object>> retained = new ConcurrentLinkedQueue<>();
            late.connect();
            try {
                late.subscribe("edgeml/" + DEVICE + "/status", 1, (t, m) -> {
                    if (m.isRetained()) {
                        retained.add(Json.parseObject(new String(m.getPayload(), StandardCharsets.UTF_8)));
                    }
                });
                Thread.sleep(500);
            } finally {
                late.disconnect();
                late.close();
            }
            if (!retained.isEmpty()) {
                last = String.valueOf(retained.peek().get("state"));
                if (last.equals(wanted)) {
                    return last;
                }
            }
        }
        return last;
    }

    private static String journal(SshLab lab, NspawnDevice device) {
        try {
            return "\njournal of edgeml.service:\n" + ssh(lab, device, "journalctl -u edgeml.service --no-pager | tail -40");
        } catch (Exception | AssertionError e) {
            return "\n(no journal: " + e.getMessage() + ")";
        }
    }

    /** Runs a command on the device with the system ssh client, as a user would. */
    private static String ssh(SshLab lab, NspawnDevice device, String command) throws Exception {
        Process p = new ProcessBuilder("ssh", "-F", lab.sshConfig.toString(), "-o", "UserKnownHostsFile=" + lab.knownHosts,
                "-o", "BatchMode=yes", "-p", Integer.toString(device.port()), "root@127.0.0.1", command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("ssh " + command + ": " + out + "\nconsole:\n" + device.console());
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
