package org.edgeml.runtime.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The command grammar of docs/mqtt.md, case by case, and the PNG metadata chunk. */
class DeviceCommandTest {
    private static DeviceCommand parse(String json) {
        return DeviceCommand.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String json) {
        return assertThrows(DeviceCommand.BadCommand.class, () -> parse(json)).getMessage();
    }

    @Test
    void theFourCommandsAsTheIssueSpellsThem() {
        assertEquals(new DeviceCommand.Capture("mug", 20, 500, 96, null),
                parse("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 20, \"every_ms\": 500}"));
        assertEquals(new DeviceCommand.Capture("spoon_2", 1, 0, 48, "host-7"),
                parse("{\"command\":\"capture\",\"label\":\"spoon_2\",\"count\":1,\"size\":48,\"id\":\"host-7\"}"));
        assertInstanceOf(DeviceCommand.Snapshot.class, parse("{\"command\": \"snapshot\"}"));
        assertInstanceOf(DeviceCommand.Pause.class, parse("{\"command\": \"pause\"}"));
        assertInstanceOf(DeviceCommand.Resume.class, parse(" {\"command\" : \"resume\"} "));
    }

    @Test
    void badCommandsAreNamedWithTheFix() {
        assertTrue(refusal("{\"command\": \"capture\"").contains("not a JSON object"));
        assertTrue(refusal("[\"snapshot\"]").contains("not a JSON object"));
        assertTrue(refusal("{}").contains("\"command\" is missing"));
        assertTrue(refusal("{\"command\": 3}").contains("\"command\" is missing or not a string"));
        assertTrue(refusal("{\"command\": \"reboot\"}").contains("unknown command 'reboot'; use one of capture"));
        assertTrue(refusal("{\"command\": \"pause\", \"for\": 3}").contains("pause: unknown field \"for\""));
        assertTrue(refusal("{\"command\": \"capture\", \"count\": 3}").contains("\"label\" must be"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"../etc\", \"count\": 3}").contains("\"label\" must be"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"a/b\", \"count\": 3}").contains("\"label\" must be"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\"}").contains("\"count\" must be a whole number"
                + " from 1 to 100000, got nothing"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 0}").contains("got 0"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 2.5}").contains("got 2.5"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": \"5\"}").contains("got \"5\""));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 5, \"every_ms\": -1}")
                .contains("\"every_ms\" must be"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 5, \"size\": 4}")
                .contains("\"size\" must be a whole number from 8 to 1024"));
        assertTrue(refusal("{\"command\": \"capture\", \"label\": \"mug\", \"count\": 5, \"every\": 5}")
                .contains("unknown field \"every\""));
        byte[] notUtf8 = {'{', (byte) 0xC3, '}'};
        assertTrue(assertThrows(DeviceCommand.BadCommand.class, () -> DeviceCommand.parse(notUtf8)).getMessage()
                .contains("not UTF-8"));
        assertTrue(refusal("{\"command\": \"snapshot\", \"x\": \"" + "y".repeat(5000) + "\"}").contains("more than 4096"));
    }

    @Test
    void theCommandNameIsKnownOnceParsedThatFar() {
        assertEquals("capture", assertThrows(DeviceCommand.BadCommand.class,
                () -> parse("{\"command\": \"capture\", \"label\": \"mug\"}")).command());
        assertNull(assertThrows(DeviceCommand.BadCommand.class, () -> parse("{\"command\": \"x\"}")).command());
    }

    @Test
    void pngsCarryTheirMetadataAndStayReadable() throws Exception {
        byte[] gray = new byte[6 * 4];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) (i * 10);
        }
        String meta = "{\"label\":\"mug\",\"index\":3}";
        byte[] png = PngFrames.encode(gray, 6, 4, meta);
        assertEquals(meta, PngFrames.metadata(png).orElseThrow());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(6, back.getWidth());
        assertEquals(4, back.getHeight());
        byte[] pixels = new byte[gray.length];
        back.getRaster().getDataElements(0, 0, 6, 4, pixels);
        assertArrayEquals(gray, pixels);
        assertTrue(PngFrames.metadata(PngFrames.encode(gray, 6, 4, null)).isEmpty());
        assertTrue(PngFrames.metadata("not a png".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
