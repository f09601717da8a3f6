package org.edgeml.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.runtime.config.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/**
 * A fleet file: one device per line, {@code [user@]HOST[:PORT] [DEVICE_ID] [--option value ...]}, where the
 * options are runtime options for that device only (over the command line's) and {@code --prefix DIR};
 * {@code #} starts a comment.
 * <pre>
 * # shelf A
 * pi@shelf-a1.local  shelf-a1
 * pi@shelf-a2.local  shelf-a2  --led 17 --fps 2
 * </pre>
 */
public final class Inventory {
    private Inventory() {}

    @Command(name = "inventory-line")
    static final class LineOptions {
        @Mixin
        RuntimeOptions options = new RuntimeOptions();

        @picocli.CommandLine.Option(names = "--prefix")
        String prefix;
    }

    /** The devices of {@code file}, each with {@code base} overlaid by its own options. */
    public static List<Target> read(Path file, DeviceConfig base) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdgemlException("--inventory " + file + ": cannot read (" + e.getMessage() + "); check the path");
        }
        List<Target> targets = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!line.isEmpty()) {
                targets.add(parseLine(line, base, file + ":" + (n + 1)));
            }
        }
        if (targets.isEmpty()) {
            throw new EdgemlException("--inventory " + file + ": no devices in it; write one [user@]HOST [DEVICE_ID] per line");
        }
        long distinct = targets.stream().map(t -> t.config().deviceId()).distinct().count();
        if (distinct < targets.size()) {
            throw new EdgemlException("--inventory " + file + ": two lines have the same device id; give each device its own");
        }
        return targets;
    }

    static Target parseLine(String line, DeviceConfig base, String where) {
        List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
        SshTarget ssh;
        try {
            ssh = SshTarget.parse(words.remove(0));
        } catch (EdgemlException e) {
            throw new EdgemlException(where + ": " + e.getMessage());
        }
        Map<String, String> own = new java.util.LinkedHashMap<>();
        if (!words.isEmpty() && !words.get(0).startsWith("--")) {
            own.put("device", words.remove(0));
        }
        LineOptions parsed = new LineOptions();
        try {
            new CommandLine(parsed).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new EdgemlException(where + ": " + e.getMessage() + " (per-device options are those of edgeml run, and --prefix)");
        }
        own.putAll(parsed.options.given());
        try {
            return new Target(ssh, base.overlay(own), parsed.prefix);
        } catch (EdgemlException e) {
            throw new EdgemlException(where + ": " + e.getMessage());
        }
    }
}
