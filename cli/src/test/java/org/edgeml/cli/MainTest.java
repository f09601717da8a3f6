package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            return new Run(Main.execute(args), o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String command : new String[] {"quantize", "check", "export-c"}) {
            assertTrue(r.out().contains(command), r.out());
        }
    }

    @Test
    void badFlagsAreOneLineErrorsWithExitCode2() {
        Run r = run("check", "--no-such-flag", "x.q8");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("edgeml: error: ") && r.err().strip().lines().count() == 1, r.err());
        assertTrue(r.err().contains("--help"), r.err());
        assertEquals(2, run("no-such-command").code());
        assertEquals(2, run("quantize", "m.zip", "--calibration", "lots").code());
    }

    /** deploy checks the runtime options as run does, before any SSH: run's message and exit code. */
    @Test
    void deployRefusesWhatRunRefusesBeforeConnecting(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("edge-runtime.jar"), "not used");
        Run r = run("deploy", "--host", "pi@nowhere.invalid", "--model", dir.resolve("m.q8").toString(),
                "--runtime-jar", jar.toString(), "--broker", "laptop.local:1883", "--publish", "change");
        assertEquals(2, r.code(), r.err());
        assertEquals("edgeml: error: broker: 'laptop.local:1883' is not an MQTT URL; use tcp://HOST:1883 or ssl://HOST:8883",
                r.err().strip());
        r = run("deploy", "--host", "pi@nowhere.invalid", "--model", dir.resolve("m.q8").toString(),
                "--runtime-jar", jar.toString(), "--source", "camera");
        assertEquals(2, r.code(), r.err());
        assertEquals("edgeml: error: source: 'camera' is not a source; use rpicam, dir:PATH or idx:PATH", r.err().strip());
    }

    @Test
    void userErrorsAreOneLineWithoutStackTraces(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.q8"), "definitely not a model");
        Run r = run("check", bogus.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad magic") || r.err().contains("not an edgeml"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!r.err().contains("at org."), "no stack trace: " + r.err());
    }
}
