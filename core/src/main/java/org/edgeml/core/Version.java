package org.edgeml.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** edgeml's version: the Maven project version, written into core's resources at build time. */
public final class Version {
    private static final String CURRENT = read();

    private Version() {}

    /** E.g. {@code 0.1.0-SNAPSHOT}; the same in the launcher, the device runtime and its jar's manifest. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("org/edgeml/core/version.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
