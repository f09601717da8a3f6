package org.edgeml.deploy.ssh;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a remote script did: its exit status and its output. */
public record RemoteResult(int status, String stdout, String stderr) {
    public RemoteResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean ok() {
        return status == 0;
    }

    /** The {@code key=value} lines of stdout (the device scripts' way of answering), in order. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z_][a-z0-9_]*")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    /** The last non-blank line of stderr, or of stdout when stderr is empty: what went wrong, in one line. */
    public String lastLine() {
        if (stderr.isBlank() && stdout.isBlank()) {
            return "no message, exit status " + status;
        }
        String text = stderr.isBlank() ? stdout : stderr;
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
