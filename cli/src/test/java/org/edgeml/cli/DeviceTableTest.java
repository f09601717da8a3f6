package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What {@code watch} shows of a device's status. */
class DeviceTableTest {

    @Test
    void theTableShowsTheLiveStatusFigures() {
        DeviceTable table = new DeviceTable(0, new CountDownLatch(1));
        table.accept("edgeml/kitchen/status", "{\"state\":\"online\",\"model\":\"abc\",\"camera\":\"stalled\",\"fps\":9.5,"
                + "\"dropped\":2,\"frames_dropped\":17,\"uptime_s\":93784,\"cpu_temp_c\":51.25}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String shown = bytes.toString(StandardCharsets.UTF_8);
        for (String expected : new String[] {"camera", "stalled", "9.5", "2/17", "1d 02:03:04", "51.3 C"}) {
            assertTrue(shown.contains(expected), expected + " missing from:\n" + shown);
        }
    }

    @Test
    void figuresAreEmptyBeforeAStatusSaysThem() {
        assertEquals("", DeviceTable.lost(Map.of()));
        assertEquals("", DeviceTable.uptime(null));
        assertEquals("00:01:05", DeviceTable.uptime(65L));
    }
}
