package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        return capture(() -> Main.execute(args));
    }

    /** Runs {@code command} with System.out and System.err captured. */
    static Run capture(IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            return new Run(command.getAsInt(), o.toString(), e.toString());
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
        Run missing = run("deploy", "--model", "m.q8");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("edgeml: error: Missing required argument"), "error said once: " + missing.err());
    }

    /** A host that cannot be reached is a failed operation (exit 1) in status as in deploy, as docs/errors.md says. */
    @Test
    void anUnknownHostIsExit1InStatusAsInDeploy() {
        Run r = run("status", "--host", "no-such-host.invalid");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("unknown host name") || r.err().contains("cannot connect"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
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

    /** The version in the root pom.xml, read here independently of the build's filtering. */
    private static String projectVersion() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<artifactId>edgeml</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom's version");
        return m.group(1);
    }

    @Test
    void everyCommandPrintsTheProjectsVersion() throws Exception {
        String expected = "edgeml " + projectVersion();
        assertEquals(expected, run("--version").out().strip());
        for (String command : new CommandLine(new Main()).getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue; // picocli's
            }
            Run r = run(command, "--version");
            assertEquals(0, r.code(), command + ": " + r.err());
            assertEquals(expected, r.out().strip(), command);
        }
        assertEquals(projectVersion(), org.edgeml.runtime.EdgeRuntime.VERSION, "the runtime's status and HA sw_version");
    }

    @Test
    void everyCommandsHelpListsTheExitCodesOfDocsErrorsMd() throws Exception {
        String errorsMd = Files.readString(Path.of("..", "docs", "errors.md"));
        for (String command : new String[] {"check", "train", "demo", "deploy", "completion"}) {
            Run r = run(command, "--help");
            assertEquals(0, r.code(), command);
            String help = r.out();
            assertTrue(help.contains("Exit codes:"), command + ": " + help);
            for (String code : new String[] {"0", "1", "2", "3", "70", "130"}) {
                assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(code + " ")), command + " lists exit " + code);
                assertTrue(errorsMd.contains("| " + code + " |"), "docs/errors.md lists exit " + code);
            }
        }
    }

    @Test
    void aMistypedOptionOrCommandGetsASuggestionOnItsOneLine() {
        Run r = run("demo", "--epoch", "1");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("did you mean --epochs?"), r.err());
        Run c = run("quantise", "m.zip");
        assertEquals(2, c.code());
        assertTrue(c.err().contains("did you mean quantize?"), c.err());
    }

    @Test
    void completionPrintsABashScriptForEveryCommandAndOption() {
        Run r = run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_edgeml") || r.out().contains("complete -F"), r.out());
        for (String word : new String[] {"quantize", "export-c", "--max-drop", "--calibration", "percentile"}) {
            assertTrue(r.out().contains(word), "completes " + word);
        }
    }

    @Test
    void descriptionsAreParagraphsThatWrapAtTheTerminalsWidth() {
        String old = System.getProperty("picocli.usage.width");
        try {
            System.setProperty("picocli.usage.width", "200");
            String wide = run("demo", "--help").out();
            String first = wide.lines().filter(l -> l.startsWith("Run the whole toolchain")).findFirst().orElseThrow();
            // the old text broke this line after "quantize it" (91 characters) whatever the width
            assertTrue(first.length() > 120, first);
            System.setProperty("picocli.usage.width", "60");
            String narrow = run("demo", "--help").out();
            assertTrue(narrow.lines().allMatch(l -> l.length() <= 60 || !l.contains(" ")),
                    "no line wider than 60 columns:\n" + narrow);
        } finally {
            if (old == null) {
                System.clearProperty("picocli.usage.width");
            } else {
                System.setProperty("picocli.usage.width", old);
            }
        }
    }

    @Test
    void optionsWithAFixedSetOfValuesListThemAndRejectOthers() {
        Run help = run("quantize", "--help");
        assertTrue(help.out().contains("minmax, percentile, mse"), help.out());
        Run bad = run("quantize", "m.zip", "--method", "fancy");
        assertEquals(2, bad.code());
        assertTrue(bad.err().toLowerCase(java.util.Locale.ROOT).contains("minmax, percentile, mse"), bad.err());
        String[][] listed = {
            {"train", "relu, leakyrelu, tanh, sigmoid, elu, gelu"}, {"train", "adam, sgd, nesterovs"},
            {"deploy", "systemd, supervisor"}, {"deploy", "auto, mqtt, health"}};
        for (String[] c : listed) {
            Run h = run(c[0], "--help");
            String text = h.out().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " "); // help wraps at any width
            assertTrue(text.contains(c[1]), c[0] + " --help lists " + c[1] + ":\n" + h.out());
        }
        assertEquals(2, run("train", "--optimizer", "rmsprop").code());
        assertEquals(2, run("deploy", "--host", "pi", "--model", "m.q8", "--service", "launchd").code());
    }
}
