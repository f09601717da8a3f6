package org.edgeml.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigParserTest {
    @TempDir
    Path tmp;
    String model;

    @BeforeEach
    void model() throws Exception {
        model = Files.writeString(tmp.resolve("m.q8"), "x").toString();
    }

    private String error(String... args) {
        return assertThrows(EdgemlException.class, () -> RunConfigParser.parse(args)).getMessage();
    }

    @Test
    void defaults() {
        RunConfig c = RunConfigParser.parse("--model", model, "--source", "rpicam", "--device", "pi1");
        assertEquals(Path.of(model), c.model());
        assertEquals(SourceSpec.Kind.RPICAM, c.source().kind());
        assertEquals("tcp://localhost:1883", c.broker());
        assertEquals("edgeml", c.topicPrefix());
        assertEquals(1, c.qos());
        assertEquals(PublishMode.EVERY, c.publish());
        assertEquals(TriggerMode.CONTINUOUS, c.trigger());
        assertEquals(0, c.count());
        assertEquals(0.0, c.fps());
        assertTrue(c.discovery());
        assertFalse(c.cleanSession());
        assertEquals("edgeml-pi1", c.clientId());
        assertEquals(RunConfig.NO_PIN, c.ledPin());
        assertNull(c.persistenceDir());
        assertEquals(10_000, c.offlineBuffer());
        assertEquals(640, c.cameraWidth());
        assertEquals("rpicam-vid", c.rpicamVid());
    }

    @Test
    void bothFlagFormsAndSwitches() {
        RunConfig c = RunConfigParser.parse("--model=" + model, "--source", "idx:" + tmp, "--qos=2", "--fps", "2.5",
                "--publish", "change", "--no-discovery", "--led", "17", "--button=27", "--trigger", "button",
                "--topic-prefix", "home/edgeml", "--device=kitchen", "--count", "500");
        assertEquals(2, c.qos());
        assertEquals(2.5, c.fps());
        assertEquals(PublishMode.CHANGE, c.publish());
        assertFalse(c.discovery());
        assertEquals(17, c.ledPin());
        assertEquals(27, c.buttonPin());
        assertEquals(TriggerMode.BUTTON, c.trigger());
        assertEquals(new SourceSpec(SourceSpec.Kind.IDX, tmp), c.source());
        assertEquals(500, c.count());
    }

    @Test
    void theConfigFileGivesDefaultsThatFlagsOverride() throws Exception {
        Path file = Files.writeString(tmp.resolve("edgeml.conf"), String.join("\n",
                "# edgeml on the kitchen Pi",
                "model = " + model,
                "source = rpicam   # the camera",
                "",
                "broker = tcp://10.0.0.2:1883",
                "qos = 0",
                "no-discovery = yes",
                "invert = off",
                "device = kitchen"));
        RunConfig c = RunConfigParser.parse("--config", file.toString(), "--qos", "2");
        assertEquals("tcp://10.0.0.2:1883", c.broker());
        assertEquals(2, c.qos());
        assertFalse(c.discovery());
        assertEquals("kitchen", c.device());
        assertFalse(c.invert());
        assertTrue(RunConfigParser.parse("--config", file.toString(), "--invert").invert(), "a flag wins over the file");
    }

    @Test
    void oneLineErrorsNameTheKeyAndTheFix() throws Exception {
        assertEquals("--frobnicate is not an option of edgeml run; see --help for the list",
                error("--model", model, "--source", "rpicam", "--frobnicate", "1"));
        assertEquals("qos: 3 is not an MQTT QoS; use 0, 1 or 2", error("--model", model, "--source", "rpicam", "--qos", "3"));
        assertEquals("qos: 'one' is not a whole number", error("--model", model, "--source", "rpicam", "--qos", "one"));
        assertEquals("fps: 1.0E9 is out of range; use 0 (no limit) up to 1000",
                error("--model", model, "--source", "rpicam", "--fps", "1e9"));
        assertEquals("fps: NaN is out of range; use 0 (no limit) up to 1000",
                error("--model", model, "--source", "rpicam", "--fps", "NaN"));
        assertEquals("count: '99999999999999999999' is not a whole number",
                error("--model", model, "--source", "rpicam", "--count", "99999999999999999999"));
        assertEquals("source: missing; give --source rpicam, dir:PATH or idx:PATH", error("--model", model));
        assertEquals("model: missing; give --model FILE.q8", error("--source", "rpicam"));
        assertEquals("source: 'camera' is not a source; use rpicam, dir:PATH or idx:PATH",
                error("--model", model, "--source", "camera"));
        assertEquals("trigger: 'button' needs a button; add --button PIN",
                error("--model", model, "--source", "rpicam", "--trigger", "button"));
        assertEquals("led: GPIO 99 does not exist; use a BCM number 0 to 27",
                error("--model", model, "--source", "rpicam", "--led", "99"));
        assertEquals("broker: TLS options need an ssl:// (or wss://) broker URL, got tcp://localhost:1883",
                error("--model", model, "--source", "rpicam", "--cafile", model));
        assertEquals("password-file: given without a username; add --username NAME",
                error("--model", model, "--source", "rpicam", "--password-file", model));
        assertEquals("--qos needs a value; write --qos VALUE", error("--model", model, "--source", "rpicam", "--qos"));
        assertEquals("--qos is given twice; give it once",
                error("--model", model, "--source", "rpicam", "--qos", "1", "--qos", "2"));
        assertEquals("model: " + tmp.resolve("nope.q8") + " is not a readable file; check the path",
                error("--model", tmp.resolve("nope.q8").toString(), "--source", "rpicam"));
        assertEquals("publish: 'sometimes' is not allowed; use every or change",
                error("--model", model, "--source", "rpicam", "--publish", "sometimes"));
        assertEquals("topic-prefix: 'a/#' must be non-empty, without + # or leading/trailing '/'; e.g. edgeml or home/edgeml",
                error("--model", model, "--source", "rpicam", "--topic-prefix", "a/#"));
        assertEquals("device: 'a/b' must be 1-64 letters, digits, '-' or '_'",
                error("--model", model, "--source", "rpicam", "--device", "a/b"));
        assertEquals("camera-width: 641 must be even, 32 to 4096",
                error("--model", model, "--source", "rpicam", "--camera-width", "641"));

        Path file = Files.writeString(tmp.resolve("bad.conf"), "model = " + model + "\nsorce = rpicam\n");
        assertEquals(file + ":2: key 'sorce' is not an option of edgeml run; see --help for the list",
                error("--config", file.toString()));
        Files.writeString(file, "just words\n");
        assertEquals(file + ":1: 'just words' is not 'key = value'", error("--config", file.toString()));
    }

    @Test
    void usageListsEveryKey() {
        String usage = RunConfigParser.usage();
        for (String key : new String[] {"--model", "--source", "--broker", "--device", "--count", "--config",
                "--topic-prefix", "--qos", "--publish", "--fps", "--username", "--password-file", "--cafile", "--cert",
                "--key", "--led", "--button", "--trigger", "--no-discovery", "--persistence-dir", "--offline-buffer"}) {
            assertTrue(usage.contains(key + " ") || usage.contains(key + "=") || usage.contains(key + "[") || usage.contains(key + "\n"), key);
        }
        assertTrue(RunConfigParser.wantsHelp(new String[] {"--model", "x", "--help"}));
    }

    @Test
    void theDefaultDeviceIsAValidId() {
        assertTrue(RunConfigParser.defaultDevice().matches("[A-Za-z0-9_-]{1,64}"));
    }
}
