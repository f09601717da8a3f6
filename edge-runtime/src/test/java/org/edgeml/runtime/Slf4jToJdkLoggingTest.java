package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A library logging through SLF4J (as Pi4J does) reaches the JDK's logging: one path, nothing muted. */
public class Slf4jToJdkLoggingTest {
    @Test
    void anSlf4jRecordArrivesAtTheJdksLoggingWithItsLevelAndText() {
        assertReachesJdkLogging("com.pi4j.Pi4J");
    }

    /** An SLF4J warning to {@code logger} arrives at java.util.logging once, as a WARNING with its text. */
    public static void assertReachesJdkLogging(String logger) {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jdk = Logger.getLogger(logger);
        jdk.addHandler(capture);
        try {
            LoggerFactory.getLogger(logger).warn("port {} in use", 1883);
        } finally {
            jdk.removeHandler(capture);
        }
        assertEquals(1, records.size(), "records reaching java.util.logging");
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("port 1883 in use", records.get(0).getMessage());
    }
}
