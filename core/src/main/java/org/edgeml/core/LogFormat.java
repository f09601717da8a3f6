package org.edgeml.core;

/**
 * The one format of every log line, edgeml's and its libraries' (Pi4J, Paho, Moquette, Netty, DL4J all
 * reach the JDK's logging, SLF4J through slf4j-jdk14): time, level, message.
 */
public final class LogFormat {
    public static final String PATTERN = "%1$tFT%1$tT %4$s %5$s%6$s%n";

    private LogFormat() {}

    /** Uses {@link #PATTERN} unless the user set {@code java.util.logging.SimpleFormatter.format}; call before logging. */
    public static void install() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", PATTERN);
        }
    }
}
