package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.deploy.device.ServiceMode;
import org.edgeml.deploy.ssh.OpenSshShell;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys over a real OpenSSH connection (sshd on a loopback port, as the current user) into temp prefixes, with
 * the supervisor (no systemd here) and a stub runtime that reports its model through the health file.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeployOverSshTest {
    @TempDir
    Path tmp;

    private SshLab lab;
    private Sshd sshd;
    private Path model1;
    private Path model2;
    private Path runtimeJar;
    private final List<Path> prefixes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Sshd.assumeAvailable();
        lab = new SshLab(Files.createDirectories(tmp.resolve("ssh")));
        sshd = lab.sshd(lab.newHostKey("host_a"), Sshd.freePort());
        model1 = model(1);
        model2 = model(2);
        runtimeJar = StubRuntime.healthy(tmp.resolve("stub"));
    }

    @AfterEach
    void tearDown() {
        prefixes.forEach(DeployOverSshTest::stopSupervisor);
        if (sshd != null) {
            sshd.close();
        }
    }

    private Path model(long seed) {
        Path file = tmp.resolve("model" + seed + ".q8");
        Q8ModelFile.write(TestModels.model(seed, 4, Activation.RELU, 6, 3), file);
        return file;
    }

    private Path prefix(String name) {
        Path prefix = tmp.resolve("device").resolve(name);
        prefixes.add(prefix);
        return prefix;
    }

    private Cli.Run deploy(Path prefix, Path model, Path jar, String... extra) {
        List<String> args = new ArrayList<>(List.of("--host", lab.host(sshd.port()), "--model", model.toString(),
                "--runtime-jar", jar.toString(), "--prefix", prefix.toString(), "--service", "supervisor",
                "--source", "dir:" + tmp));
        args.addAll(List.of(lab.flags()));
        args.addAll(List.of(extra));
        if (!args.contains("--verify-timeout")) {
            args.addAll(List.of("--verify-timeout", "30"));
        }
        return Cli.run(new DeployCommand(), args.toArray(String[]::new));
    }

    private static String id(Path model) {
        return Q8ModelFile.read(model).id();
    }

    private static String current(Path prefix) throws IOException {
        return Files.readSymbolicLink(prefix.resolve("current")).getFileName().toString();
    }

    private static String healthModel(Path prefix) throws IOException {
        return (String) Json.parseObject(Files.readString(prefix.resolve("state/health.json"))).get("model");
    }

    @Test
    void deploysRedeploysAndRollsBack() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());

        Cli.Run first = deploy(prefix, model1, runtimeJar, "--topic-prefix", "home/edgeml", "--fps", "2");
        assertEquals(0, first.exit(), first.all());
        String release1 = current(prefix);
        assertTrue(release1.endsWith("-" + id(model1)), release1);
        assertEquals(id(model1), healthModel(prefix));
        Path dir1 = prefix.resolve("releases").resolve(release1);
        for (String file : List.of("edge-runtime.jar", "model.q8", "edgeml.conf", "jvm.args", "edgeml.service", "supervisor.sh", "RELEASE")) {
            assertTrue(Files.isRegularFile(dir1.resolve(file)), file);
        }
        String conf = Files.readString(dir1.resolve("edgeml.conf"));
        assertTrue(conf.contains("model = " + dir1 + "/model.q8"), conf);
        assertTrue(conf.contains("topic-prefix = home/edgeml"), conf);
        assertTrue(conf.contains("fps = 2"), conf);
        assertTrue(conf.contains("device = 127-0-0-1") || conf.contains("device = 127"), conf);
        assertTrue(conf.contains("health-file = " + prefix + "/state/health.json"), conf);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir1.resolve("edgeml.conf"))));
        assertTrue(first.all().contains("supervisor"), first.all());

        Cli.Run second = deploy(prefix, model2, runtimeJar);
        assertEquals(0, second.exit(), second.all());
        String release2 = current(prefix);
        assertNotEquals(release1, release2);
        assertEquals(id(model2), healthModel(prefix));
        assertTrue(Files.isDirectory(dir1), "the previous release is kept");

        Cli.Run status = Cli.run(new StatusCommand(), concat(new String[] {"--host", lab.host(sshd.port()), "--prefix", prefix.toString()}, lab.flags()));
        assertEquals(0, status.exit(), status.all());
        assertTrue(status.out().contains("* " + release2 + "  (current)"), status.out());
        assertTrue(status.out().contains(release1), status.out());
        assertTrue(status.out().contains("supervisor (running)"), status.out());

        Cli.Run rollback = Cli.run(new RollbackCommand(), concat(new String[] {"--host", lab.host(sshd.port()), "--prefix", prefix.toString(),
            "--verify-timeout", "30"}, lab.flags()));
        assertEquals(0, rollback.exit(), rollback.all());
        assertEquals(release1, current(prefix));
        assertEquals(id(model1), healthModel(prefix));
    }

    @Test
    void verifiesThroughTheRetainedMqttStatus() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(tmp.resolve("mqtt")))) {
            String[] mqtt = {"--broker", broker.url(), "--device", "kitchen", "--verify", "mqtt"};
            Cli.Run first = deploy(prefix, model1, runtimeJar, mqtt);
            assertEquals(0, first.exit(), first.all());
            // The same model again: the old process's retained "online" must not pass for the new one's.
            Cli.Run again = deploy(prefix, model1, runtimeJar, mqtt);
            assertEquals(0, again.exit(), again.all());
            assertNotEquals(first.out().split(" ")[1], again.out().split(" ")[1], "two releases");
            assertEquals(again.out().split(" ")[1], current(prefix));
        }
    }

    @Test
    void aRuntimeThatDoesNotComeUpIsRolledBack() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        assertEquals(0, deploy(prefix, model1, runtimeJar).exit());
        String release1 = current(prefix);

        Cli.Run bad = deploy(prefix, model2, StubRuntime.broken(tmp.resolve("stub")), "--verify-timeout", "8", "--json");
        assertEquals(1, bad.exit(), bad.all());
        assertTrue(bad.err().contains("rolled back"), bad.err());
        assertTrue(bad.err().contains("did not report online with model " + id(model2)), bad.err());
        assertTrue(bad.err().contains("broken on purpose"), "shows the runtime's output: " + bad.err());
        assertTrue(bad.err().contains(release1 + " is current again and online with model " + id(model1)), bad.err());
        assertEquals(release1, current(prefix));
        assertEquals(id(model1), healthModel(prefix), "the rollback was verified before the deploy returned");
        Map<String, Object> result = onlyHost(bad.out());
        assertEquals("rolled_back", result.get("outcome"));
        assertEquals(Boolean.FALSE, result.get("ok"));
        assertEquals(Map.of("release", release1, "verified", true), withoutNulls(result.get("rollback")));
    }

    /** The previous release is broken too (here: its runtime jar, changed on the device): the rollback must say it failed. */
    @Test
    void aRollbackThatDoesNotComeUpFailsLoudly() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        assertEquals(0, deploy(prefix, model1, runtimeJar).exit());
        String release1 = current(prefix);
        Path jar1 = prefix.resolve("releases").resolve(release1).resolve("edge-runtime.jar");
        jar1.toFile().setWritable(true, true);
        Files.copy(StubRuntime.broken(tmp.resolve("stub")), jar1, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Cli.Run bad = deploy(prefix, model2, StubRuntime.broken(tmp.resolve("stub")), "--verify-timeout", "6", "--json");
        assertEquals(1, bad.exit(), bad.all());
        assertTrue(bad.err().contains(": rollback failed: "), bad.err());
        assertTrue(bad.err().contains(release1 + " is current again but did NOT come up: the runtime did not report online with model "
                + id(model1)), bad.err());
        Map<String, Object> result = onlyHost(bad.out());
        assertEquals("rollback_failed", result.get("outcome"));
        @SuppressWarnings("unchecked")
        Map<String, Object> rollback = (Map<String, Object>) result.get("rollback");
        assertEquals(release1, rollback.get("release"));
        assertEquals(Boolean.FALSE, rollback.get("verified"));
        assertTrue(((String) rollback.get("problem")).startsWith("the runtime did not report online with model " + id(model1)),
                rollback.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyHost(String stdout) {
        Map<String, Object> all = Json.parseObject(stdout.strip());
        List<Object> hosts = (List<Object>) all.get("hosts");
        assertEquals(1, hosts.size(), stdout);
        return (Map<String, Object>) hosts.get(0);
    }

    private static Map<?, ?> withoutNulls(Object map) {
        Map<Object, Object> copy = new java.util.HashMap<>((Map<?, ?>) map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    @Test
    void refusesAnUnknownHostKeyShowingItsFingerprint() throws Exception {
        Path prefix = prefix("pi");
        Cli.Run run = deploy(prefix, model1, runtimeJar);
        assertEquals(1, run.exit(), run.all());
        String fingerprint = fingerprint(lab.dir.resolve("host_a.pub"));
        assertTrue(run.err().contains("host key unknown, refused"), run.err());
        assertTrue(run.err().contains(fingerprint), "shows " + fingerprint + ": " + run.err());
        assertTrue(run.err().contains("--accept-new"), run.err());
        assertFalse(Files.exists(prefix), "nothing was created on the device");
    }

    @Test
    void acceptNewTrustsAFirstSeenKey() throws Exception {
        Path prefix = prefix("pi");
        Cli.Run run = deploy(prefix, model1, runtimeJar, "--accept-new");
        assertEquals(0, run.exit(), run.all());
        assertTrue(Files.readString(lab.knownHosts).contains("ssh-ed25519"), "the key was remembered");
        assertEquals(0, deploy(prefix, model2, runtimeJar).exit(), "the remembered key is accepted without --accept-new");
    }

    @Test
    void refusesAChangedHostKeyEvenWithAcceptNew() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        int port = sshd.port();
        sshd.close();
        sshd = lab.sshd(lab.newHostKey("host_b"), port);

        Cli.Run run = deploy(prefix, model1, runtimeJar, "--accept-new");
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.err().contains("host key CHANGED, refused"), run.err());
        assertTrue(run.err().contains(fingerprint(lab.dir.resolve("host_b.pub"))), run.err());
        assertTrue(run.err().contains("ssh-keygen -R '[127.0.0.1]:" + port + "'"), run.err());
        assertFalse(Files.exists(prefix));
    }

    @Test
    void anUploadCutMidwayLeavesCurrentAloneAndARerunCompletes() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        assertEquals(0, deploy(prefix, model1, runtimeJar).exit());
        String release1 = current(prefix);

        AtomicBoolean cut = new AtomicBoolean();
        OpenSshShell.TransferObserver cutter = (ssh, path, sent, total) -> {
            if (path.endsWith("/edge-runtime.jar") && sent >= 512 * 1024 && cut.compareAndSet(false, true)) {
                ssh.destroyForcibly();
            }
        };
        DeployResult result = deployer(prefix, model2, cutter).deploy(target());
        assertTrue(cut.get(), "the upload was cut");
        assertEquals(DeployResult.Outcome.FAILED, result.outcome(), result.toString());
        assertTrue(result.message().contains("current release unchanged"), result.message());
        assertEquals(release1, current(prefix));
        assertEquals(id(model1), healthModel(prefix));
        try (Stream<Path> releases = Files.list(prefix.resolve("releases"))) {
            assertEquals(List.of(release1, result.release() + ".partial"),
                    releases.map(p -> p.getFileName().toString()).sorted().toList());
        }

        DeployResult again = deployer(prefix, model2, (ssh, path, sent, total) -> { }).deploy(target());
        assertEquals(DeployResult.Outcome.DEPLOYED, again.outcome(), again.toString());
        assertEquals(again.release(), current(prefix));
        assertEquals(id(model2), healthModel(prefix));
        try (Stream<Path> releases = Files.list(prefix.resolve("releases"))) {
            assertTrue(releases.noneMatch(p -> p.toString().endsWith(".partial")), "the unfinished upload is gone");
        }
    }

    /**
     * A second deploy to the same device while the first is uploading is refused at once, naming the holder,
     * and does not touch the first one's upload; once the first is done, the lock is free again.
     */
    @Test
    void aSecondDeployWhileOneIsUploadingIsRefusedAndTheFirstCompletes() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        List<DeployResult> second = new ArrayList<>();
        OpenSshShell.TransferObserver meanwhile = (ssh, path, sent, total) -> {
            if (path.endsWith("/edge-runtime.jar") && second.isEmpty()) {
                second.add(deployer(prefix, model1, (s, p, b, t) -> { }).deploy(target()));
            }
        };
        DeployResult first = deployer(prefix, model2, meanwhile).deploy(target());
        assertEquals(DeployResult.Outcome.DEPLOYED, first.outcome(), first.toString());
        assertEquals(first.release(), current(prefix));
        assertEquals(id(model2), healthModel(prefix));
        DeployResult refused = second.get(0);
        assertEquals(DeployResult.Outcome.FAILED, refused.outcome(), refused.toString());
        assertTrue(refused.message().startsWith("another deploy to this device is in progress (pid "), refused.message());
        assertTrue(refused.message().contains("; wait for it to finish (or end it), then re-run (current release unchanged)"),
                refused.message());
        DeployResult after = deployer(prefix, model1, (s, p, b, t) -> { }).deploy(target());
        assertEquals(DeployResult.Outcome.DEPLOYED, after.outcome(), after.toString());
    }

    /** A rollback while a deploy is uploading is refused by the same lock, and changes nothing. */
    @Test
    void aRollbackWhileADeployIsUploadingIsRefused() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        assertEquals(0, deploy(prefix, model1, runtimeJar).exit());
        String release1 = current(prefix);
        List<Cli.Run> rollback = new ArrayList<>();
        List<String> currentMeanwhile = new ArrayList<>();
        OpenSshShell.TransferObserver meanwhile = (ssh, path, sent, total) -> {
            if (path.endsWith("/edge-runtime.jar") && rollback.isEmpty()) {
                rollback.add(Cli.run(new RollbackCommand(), concat(new String[] {"--host", lab.host(sshd.port()), "--prefix",
                    prefix.toString(), "--to", release1}, lab.flags())));
                try {
                    currentMeanwhile.add(current(prefix));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        DeployResult deployed = deployer(prefix, model2, meanwhile).deploy(target());
        assertEquals(DeployResult.Outcome.DEPLOYED, deployed.outcome(), deployed.toString());
        Cli.Run refused = rollback.get(0);
        assertNotEquals(0, refused.exit(), refused.all());
        assertTrue(refused.err().contains("another deploy to this device is in progress (pid "), refused.err());
        assertTrue(refused.err().contains("wait for it to finish (or end it), then re-run"), refused.err());
        assertEquals(List.of(release1), currentMeanwhile, "the refused rollback switched nothing");
        assertEquals(deployed.release(), current(prefix));
    }

    private Path signed(Path model, String keyName) throws Exception {
        Path key = tmp.resolve(keyName);
        if (!Files.exists(key)) {
            java.security.KeyPair pair = org.edgeml.core.security.Ed25519Keys.generate();
            org.edgeml.core.security.Ed25519Keys.writePrivate(key, pair.getPrivate());
            org.edgeml.core.security.Ed25519Keys.writePublic(tmp.resolve(keyName + ".pub"), pair.getPublic());
        }
        Path out = tmp.resolve(keyName + "-" + model.getFileName());
        Q8ModelFile.writeBytes(org.edgeml.host.security.ModelSigner.fromKeyFile(key, "--key")
                .sign(Files.readAllBytes(model), model.getFileName().toString()), out);
        return out;
    }

    /**
     * The first deploy with --trusted-key pins the key on the device; a deploy carrying another key, or none,
     * is refused with the release left uncurrent; --rotate-trust replaces the pin.
     */
    @Test
    void theTrustedKeyIsPinnedAtTheFirstDeployAndChangesOnlyWithRotateTrust() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        Path byA = signed(model1, "a");
        Path byB = signed(model2, "b");
        String keyA = tmp.resolve("a.pub").toString();
        String keyB = tmp.resolve("b.pub").toString();
        Cli.Run first = deploy(prefix, byA, runtimeJar, "--trusted-key", keyA);
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.err().contains("trusted key pinned "), first.err());
        assertEquals(Files.readString(Path.of(keyA)), Files.readString(prefix.resolve("trusted-key.pub")));
        String release1 = current(prefix);

        Cli.Run swapped = deploy(prefix, byB, runtimeJar, "--trusted-key", keyB);
        assertEquals(1, swapped.exit(), swapped.all());
        assertTrue(swapped.err().contains("is not the key pinned on the device"), swapped.err());
        assertTrue(swapped.err().contains("--rotate-trust to replace the pin"), swapped.err());
        Cli.Run dropped = deploy(prefix, model2, runtimeJar);
        assertEquals(1, dropped.exit(), dropped.all());
        assertTrue(dropped.err().contains("the device pins a trusted key"), dropped.err());
        assertEquals(release1, current(prefix));
        assertEquals(Files.readString(Path.of(keyA)), Files.readString(prefix.resolve("trusted-key.pub")));

        Cli.Run rotated = deploy(prefix, byB, runtimeJar, "--trusted-key", keyB, "--rotate-trust");
        assertEquals(0, rotated.exit(), rotated.all());
        assertTrue(rotated.err().contains("trusted key rotated "), rotated.err());
        assertEquals(Files.readString(Path.of(keyB)), Files.readString(prefix.resolve("trusted-key.pub")));
        assertEquals(id(model2), healthModel(prefix));
    }

    @Test
    void keepsTheNewestFiveReleases() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        for (int i = 0; i < 6; i++) {
            DeployResult r = deployer(prefix, i % 2 == 0 ? model1 : model2, (ssh, path, sent, total) -> { }).deploy(target());
            assertEquals(DeployResult.Outcome.DEPLOYED, r.outcome(), r.toString());
        }
        try (Stream<Path> releases = Files.list(prefix.resolve("releases"))) {
            assertEquals(5, releases.count());
        }
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Path prefix = prefix("pi");
        lab.trust(sshd.port());
        Cli.Run run = deploy(prefix, model1, runtimeJar, "--dry-run");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.err().contains("dry run: nothing will be changed"), run.err());
        assertTrue(run.err().contains("edgeml.conf:"), run.err());
        assertTrue(run.out().startsWith("planned "), run.out());
        assertFalse(Files.exists(prefix), "nothing was created on the device");
    }

    @Test
    void aFleetContinuesPastABrokenHostAndSaysSo() throws Exception {
        lab.trust(sshd.port());
        int dead = Sshd.freePort();
        Path config = lab.sshConfig;
        StringBuilder aliases = new StringBuilder();
        StringBuilder inventory = new StringBuilder("# test shelf\n");
        for (int i = 1; i <= 4; i++) {
            aliases.append("Host shelf").append(i).append("\n  HostName 127.0.0.1\n  Port ").append(i == 3 ? dead : sshd.port())
                    .append("\n  User ").append(System.getProperty("user.name")).append('\n');
            inventory.append("shelf").append(i).append("  cam-").append(i).append("  --prefix ").append(prefix("shelf" + i))
                    .append(i == 2 ? "  --fps 3" : "").append('\n');
        }
        Files.writeString(config, aliases + Files.readString(config));
        Path file = tmp.resolve("fleet.txt");
        Files.writeString(file, inventory.toString());

        List<String> args = new ArrayList<>(List.of("--inventory", file.toString(), "--model", model1.toString(),
                "--runtime-jar", runtimeJar.toString(), "--service", "supervisor", "--source", "dir:" + tmp,
                "--verify-timeout", "30", "--parallel", "2"));
        args.addAll(List.of(lab.flags()));
        Cli.Run run = Cli.run(new DeployCommand(), args.toArray(String[]::new));

        assertEquals(1, run.exit(), run.all());
        assertTrue(run.out().contains("3 of 4 hosts ok, 1 failed"), run.out());
        assertTrue(run.out().matches("(?s).*shelf3 +- +failed.*"), run.out());
        assertTrue(run.out().contains("shelf3: cannot connect"), run.out());
        for (int i : new int[] {1, 2, 4}) {
            assertTrue(run.out().matches("(?s).*shelf" + i + " +\\S+-" + id(model1) + " +deployed.*"), run.out());
            Path prefix = tmp.resolve("device/shelf" + i);
            assertEquals(id(model1), healthModel(prefix));
            String conf = Files.readString(prefix.resolve("current/edgeml.conf"));
            assertTrue(conf.contains("device = cam-" + i), conf);
            assertEquals(i == 2, conf.contains("\nfps = 3\n"), conf);
        }
        assertTrue(run.err().contains("[shelf1] upload"), "per-host progress: " + run.err());
    }

    private Target target() {
        return new Target(SshTarget.parse(lab.host(sshd.port())), new DeviceConfig(java.util.Map.of("source", "dir:" + tmp)), null);
    }

    private Deployer deployer(Path prefix, Path model, OpenSshShell.TransferObserver observer) {
        String id = id(model);
        DeployRequest request = new DeployRequest(model, id, runtimeJar, Release.newId(Instant.now(), id), prefix.toString(),
                List.of(), ServiceMode.SUPERVISOR, false, false, DeployRequest.VerifyMode.HEALTH, null, Duration.ofSeconds(30), 5);
        return new Deployer(t -> new OpenSshShell(t, lab.options(false), observer), request, System.err);
    }

    private static String fingerprint(Path publicKey) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-lf", publicKey.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out.split(" ")[1];
    }

    private static String healthModelOrNull(Path prefix) {
        try {
            return healthModel(prefix);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Stops a supervisor a test started (and its runtime), by the pid it recorded. */
    /** SIGKILL, as from the OOM killer or a crash: the service brings the runtime back with the same release. */
    @Test
    void aRuntimeKilledWithSigkillComesBack() throws Exception {
        Path prefix = prefix("killed");
        lab.trust(sshd.port());
        Cli.Run first = deploy(prefix, model1, runtimeJar);
        assertEquals(0, first.exit(), first.all());
        ProcessHandle supervisor = ProcessHandle.of(Long.parseLong(
                Files.readString(prefix.resolve("state/supervisor.pid")).strip())).orElseThrow();
        ProcessHandle runtime = supervisor.children().findFirst().orElseThrow();
        Files.delete(prefix.resolve("state/health.json"));
        runtime.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        ProcessHandle restarted = null;
        while (System.nanoTime() < deadline && (restarted == null || !Files.exists(prefix.resolve("state/health.json")))) {
            restarted = supervisor.children().filter(p -> p.pid() != runtime.pid()).findFirst().orElse(null);
            Thread.sleep(200);
        }
        assertTrue(restarted != null && restarted.isAlive(), "a new runtime process");
        assertTrue(Files.exists(prefix.resolve("state/health.json")), "the new runtime reports its health");
        assertEquals(id(model1), healthModel(prefix));
        assertTrue(current(prefix).endsWith("-" + id(model1)), "the same release is current");
        assertTrue(Files.readString(prefix.resolve("state/runtime.log")).contains("restarting in 5 s"));
    }

    private static void stopSupervisor(Path prefix) {
        try {
            Path pidFile = prefix.resolve("state/supervisor.pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

}
