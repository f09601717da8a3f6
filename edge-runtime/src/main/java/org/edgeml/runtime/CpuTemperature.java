package org.edgeml.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU temperature where Linux reports it: a thermal zone's {@code temp} file, in millidegrees Celsius. */
final class CpuTemperature {
    /** The SoC's zone on a Raspberry Pi. The system property {@value #PROPERTY} names another file (tests). */
    static final Path DEFAULT = Path.of("/sys/class/thermal/thermal_zone0/temp");
    static final String PROPERTY = "edgeml.thermalFile";

    private final Path file;

    CpuTemperature(Path file) {
        this.file = file;
    }

    static CpuTemperature fromSystem() {
        String property = System.getProperty(PROPERTY);
        return new CpuTemperature(property == null ? DEFAULT : Path.of(property));
    }

    /** Degrees Celsius, or {@code NaN} when the file is missing or unreadable. */
    double celsius() {
        try {
            return Long.parseLong(Files.readString(file).strip()) / 1000.0;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Double.NaN;
        }
    }
}
