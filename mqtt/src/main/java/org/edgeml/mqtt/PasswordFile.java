package org.edgeml.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgeml.core.EdgemlException;

/** The MQTT password, read the one way the runtime, {@code watch} and deploy's verifier all read it. */
public final class PasswordFile {
    private PasswordFile() {}

    /** The first line of the file, without its line end. */
    public static char[] read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new EdgemlException("password-file: " + file + " is empty; put the password on its first line");
            }
            return lines.get(0).toCharArray();
        } catch (IOException e) {
            throw new EdgemlException("password-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
