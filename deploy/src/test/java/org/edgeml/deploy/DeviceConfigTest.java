package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.runtime.config.RuntimeOptions;
import picocli.CommandLine;

class DeviceConfigTest {
    @TempDir
    Path tmp;

    @Test
    void aGivenPersistenceDirIsKeptAndNotDuplicated() {
        Inventory.LineOptions parsed = new Inventory.LineOptions();
        new CommandLine(parsed).parseArgs("--persistence-dir", "/var/lib/edgeml-mqtt");
        String text = new DeviceConfig(parsed.options.given()).withDefaults("kitchen")
                .render("/opt/edgeml/releases/R", "/opt/edgeml/state/health.json", "R", "abc");
        assertEquals(List.of("persistence-dir = /var/lib/edgeml-mqtt"),
                text.lines().filter(l -> l.startsWith("persistence-dir")).toList());
    }

    @Test
    void rendersTheGivenOptionsWithFilesPointingIntoTheRelease() {
        Inventory.LineOptions parsed = new Inventory.LineOptions();
        new CommandLine(parsed).parseArgs("--broker", "ssl://hub.local:8883", "--username", "cam", "--password-file", "/home/me/pw",
                "--cafile", "/home/me/ca.pem", "--no-discovery", "--qos", "0");
        DeviceConfig config = new DeviceConfig(parsed.options.given()).withDefaults("kitchen");
        String text = config.render("/opt/edgeml/releases/R", "/opt/edgeml/state/health.json", "R", "abc");
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of(
                "model = /opt/edgeml/releases/R/model.q8",
                "broker = ssl://hub.local:8883",
                "qos = 0",
                "username = cam",
                "password-file = /opt/edgeml/releases/R/mqtt-password",
                "cafile = /opt/edgeml/releases/R/ca.pem",
                "no-discovery = true",
                "device = kitchen",
                "source = rpicam",
                "health-file = /opt/edgeml/state/health.json",
                "persistence-dir = /opt/edgeml/state/mqtt"), lines);
        assertEquals(Map.of("password-file", Path.of("/home/me/pw"), "cafile", Path.of("/home/me/ca.pem")), config.localFiles());
        assertEquals("rpicam", config.sourceKind());
        assertTrue(new RuntimeOptions().given().isEmpty(), "options not given are left to the runtime's defaults");
    }

    /** The deploy offers every option of 'edgeml run' but the two it manages itself. */
    @Test
    void runtimeOptionsMatchTheRuntimesOwn() {
        List<String> deployable = new java.util.ArrayList<>(org.edgeml.runtime.config.RunConfigParser.keys());
        deployable.removeAll(List.of("model", "health-file"));
        List<String> offered = new CommandLine(new DeployCommand()).getCommandSpec().options().stream()
                .filter(o -> deployable.contains(o.longestName().substring(2)))
                .map(o -> o.longestName().substring(2)).sorted().toList();
        assertEquals(deployable.stream().sorted().toList(), offered);
    }

    /** What 'edgeml run' refuses at start is refused by deploy before any SSH, with run's message and exit code. */
    @Test
    void refusesWhatTheRuntimeWouldRefuseBeforeAnySsh() {
        EdgemlException e = assertThrows(EdgemlException.class, () -> new Target(SshTarget.parse("pi@kitchen"),
                new DeviceConfig(Map.of("broker", "laptop.local:1883")), null));
        assertEquals("broker: 'laptop.local:1883' is not an MQTT URL; use tcp://HOST:1883 or ssl://HOST:8883", e.getMessage());
        assertEquals(2, e.exitCode());
        e = assertThrows(EdgemlException.class, () -> new Target(SshTarget.parse("pi@kitchen"),
                new DeviceConfig(Map.of("source", "camera")), null));
        assertEquals("source: 'camera' is not a source; use rpicam, dir:PATH or idx:PATH", e.getMessage());
        e = assertThrows(EdgemlException.class, () -> Inventory.parseLine("pi@a1 cam --qos 3", new DeviceConfig(Map.of()), "fleet:1"));
        assertEquals("fleet:1: qos: 3 is not an MQTT QoS; use 0, 1 or 2", e.getMessage());
        e = assertThrows(EdgemlException.class, () -> Inventory.parseLine("pi@a1 cam --trigger button", new DeviceConfig(Map.of()), "fleet:1"));
        assertEquals("fleet:1: trigger: 'button' needs a button; add --button PIN", e.getMessage());
    }

    @Test
    void refusesValuesTheConfigFileCannotHold() {
        EdgemlException e = assertThrows(EdgemlException.class, () -> new DeviceConfig(Map.of("client-id", "a#b")));
        assertTrue(e.getMessage().startsWith("--client-id: "), e.getMessage());
        assertThrows(EdgemlException.class, () -> new DeviceConfig(Map.of("device", "kitchen pi")));
    }

    @Test
    void inventoryLinesOverlayTheCommandLine() throws Exception {
        Path file = tmp.resolve("fleet");
        Files.writeString(file, """
                # shelf A
                pi@a1.local                       # id from the host name
                pi@a2.local:2222  cam-2  --fps 2 --prefix /srv/edgeml
                b3  cam-3  --broker tcp://other:1883
                """);
        Map<String, String> base = new LinkedHashMap<>();
        base.put("broker", "tcp://hub:1883");
        base.put("fps", "5");
        List<Target> targets = Inventory.read(file, new DeviceConfig(base));
        assertEquals(3, targets.size());
        assertEquals("a1", targets.get(0).config().deviceId());
        assertEquals("5", targets.get(0).config().get("fps"));
        assertNull(targets.get(0).prefix());
        assertEquals("cam-2", targets.get(1).config().deviceId());
        assertEquals("2", targets.get(1).config().get("fps"));
        assertEquals(2222, targets.get(1).ssh().port());
        assertEquals("/srv/edgeml", targets.get(1).prefix());
        assertEquals("tcp://other:1883", targets.get(2).config().get("broker"));
    }

    @Test
    void inventoryErrorsNameTheLine() throws Exception {
        Path file = tmp.resolve("fleet");
        Files.writeString(file, "pi@a1\npi@a2 cam --frames 3\n");
        EdgemlException e = assertThrows(EdgemlException.class, () -> Inventory.read(file, new DeviceConfig(Map.of())));
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        Files.writeString(file, "pi@a1 cam\npi@a2 cam\n");
        e = assertThrows(EdgemlException.class, () -> Inventory.read(file, new DeviceConfig(Map.of())));
        assertTrue(e.getMessage().contains("same device id"), e.getMessage());
        Files.writeString(file, "# nobody\n");
        assertThrows(EdgemlException.class, () -> Inventory.read(file, new DeviceConfig(Map.of())));
    }

    @Test
    void jvmOptionsAreOnePerLine() {
        String args = JvmOptions.render(List.of("-Xmx48m"));
        assertTrue(args.endsWith("-XX:+ExitOnOutOfMemoryError\n--add-modules=jdk.incubator.vector\n"
                + "-XX:CompileCommand=quiet\n"
                + "-XX:CompileCommand=option,org.edgeml.core.engine.*::*,double,CompileThresholdScaling,0.05\n"
                + "-Xmx48m\n"), args);
        assertThrows(EdgemlException.class, () -> JvmOptions.render(List.of("-Xmx1g -Dx=y")));
    }

    @Test
    void releaseIdsSortByTimeAndEndWithTheModelId() {
        String a = Release.newId(java.time.Instant.parse("2026-11-22T00:00:00.001Z"), "abcdef012345");
        String b = Release.newId(java.time.Instant.parse("2026-11-22T00:00:00.010Z"), "000000000000");
        assertEquals("20261122T000000001Z-abcdef012345", a);
        assertTrue(a.compareTo(b) < 0);
        assertEquals("abcdef012345", Release.modelIdOf(a));
    }

    @Test
    void theSummaryTableListsEveryHostAndTheFailures() {
        String table = Fleet.summary(List.of(
                new DeployResult("pi@a1", "R1", DeployResult.Outcome.DEPLOYED, 3.21, "ok"),
                new DeployResult("pi@a2", null, DeployResult.Outcome.FAILED, 0.5, "cannot connect")));
        assertEquals("""
                host   release  result       seconds
                pi@a1  R1       deployed         3.2
                pi@a2  -        failed           0.5
                pi@a2: cannot connect
                1 of 2 hosts ok, 1 failed
                """, table);
    }

    @Test
    void aFailedRollbackWidensTheResultColumnAndShowsInJson() {
        DeployResult.RollbackCheck check = new DeployResult.RollbackCheck("R0", false, "no health file");
        List<DeployResult> results = List.of(
                new DeployResult("pi@a1", "R1", DeployResult.Outcome.ROLLBACK_FAILED, 9.96, "bad; R0 did NOT come up", check));
        assertEquals("""
                host   release  result           seconds
                pi@a1  R1       rollback failed     10.0
                pi@a1: bad; R0 did NOT come up
                0 of 1 hosts ok, 1 failed
                """, Fleet.summary(results));
        assertEquals("{\"hosts\":[{\"host\":\"pi@a1\",\"release\":\"R1\",\"outcome\":\"rollback_failed\",\"ok\":false,"
                + "\"seconds\":10,\"message\":\"bad; R0 did NOT come up\","
                + "\"rollback\":{\"release\":\"R0\",\"verified\":false,\"problem\":\"no health file\"}}],\"ok\":0,\"failed\":1}",
                org.edgeml.core.json.Json.write(Fleet.toJson(results)));
    }
}
