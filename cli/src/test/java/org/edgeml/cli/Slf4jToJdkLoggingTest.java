package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A library logging through SLF4J (as io.moquette.broker.Server does) reaches the JDK's logging: one path, nothing muted. */
class Slf4jToJdkLoggingTest {
    @Test
    void anSlf4jRecordArrivesAtTheJdksLoggingWithItsLevelAndText() {
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
        Logger jdk = Logger.getLogger("io.moquette.broker.Server");
        jdk.addHandler(capture);
        try {
            LoggerFactory.getLogger("io.moquette.broker.Server").warn("port {} in use", 1883);
        } finally {
            jdk.removeHandler(capture);
        }
        assertEquals(1, records.size(), "records reaching java.util.logging");
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("port 1883 in use", records.get(0).getMessage());
    }
}
