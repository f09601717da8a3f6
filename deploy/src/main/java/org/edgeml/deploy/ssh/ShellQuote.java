package org.edgeml.deploy.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. ssh joins its remote command words with spaces and hands the result to the remote
 * user's shell, so every word must be quoted exactly once.
 */
public final class ShellQuote {
    private ShellQuote() {}

    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
