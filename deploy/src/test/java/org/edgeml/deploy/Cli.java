package org.edgeml.deploy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.edgeml.core.EdgemlException;
import picocli.CommandLine;

/** Runs a command class as {@code edgeml} would (user errors as one line, exit codes), capturing stdout and stderr. */
final class Cli {
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Cli() {}

    static synchronized Run run(Object command, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true); // as the launcher
            cli.setExecutionExceptionHandler((ex, c, parsed) -> {
                if (ex instanceof EdgemlException e) {
                    System.err.println("edgeml: error: " + e.getMessage());
                    return e.exitCode();
                }
                throw ex;
            });
            int exit = cli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            oldErr.print(err.toString(StandardCharsets.UTF_8));
        }
    }
}
