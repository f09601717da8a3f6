package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.engine.Prediction;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.edgeml.runtime.source.I420Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A colour CNN on the camera, end to end against mosquitto: the runtime classifies what the model's 8x8x3 RGB
 * input of the frame is, worked out by hand.
 */
class ColourCameraRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void aColourModelClassifiesTheCamerasRgb() throws Exception {
        Q8Model model = TestModels.cnn(8, 8, 3, Activation.RELU, 4, 3, 5);
        Path file = dir.resolve("colour.q8");
        Q8ModelFile.write(model, file);
        // A 64x32 frame: left half Y 76, Cb 85, Cr 255 -> RGB (254, 0, 0); right half Y 200, Cb 50, Cr 180 ->
        // (255, 190, 62) (BT.601 full range, by hand: see ModelInputTest). The centre 32x32 crop, columns 16 to 47,
        // downscaled to 8x8 (4x4 blocks of one colour): columns 0-3 of every row are the first colour, 4-7 the second.
        I420Layout layout = I420Layout.rpicam(64, 32);
        byte[] frame = new byte[layout.frameBytes()];
        int cr = layout.lumaBytes() + layout.chromaStride() * 16;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                frame[y * layout.lumaStride() + x] = (byte) (x < 32 ? 76 : 200);
                if (y < 16 && x < 32) {
                    frame[layout.lumaBytes() + y * layout.chromaStride() + x] = (byte) (x < 16 ? 85 : 50);
                    frame[cr + y * layout.chromaStride() + x] = (byte) (x < 16 ? 255 : 180);
                }
            }
        }
        Path bytes = Files.write(dir.resolve("frame.i420"), frame);
        Path camera = dir.resolve("rpicam-vid");
        Files.writeString(camera, "#!/bin/sh\nwhile cat '" + bytes + "'; do sleep 0.05; done\n");
        camera.toFile().setExecutable(true);
        byte[] expectedInput = new byte[8 * 8 * 3];
        for (int i = 0; i < 64; i++) {
            boolean left = i % 8 < 4;
            expectedInput[3 * i] = (byte) (left ? 254 : 255);
            expectedInput[3 * i + 1] = (byte) (left ? 0 : 190);
            expectedInput[3 * i + 2] = (byte) (left ? 0 : 62);
        }
        Prediction expected = new Int8Engine(model).predict(expectedInput, 3);

        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
             Subscriber predictions = new Subscriber(broker.url(), "colour-sub", false, "edgeml/colour/prediction")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> RuntimeMain.run(new String[] {
                "--model", file.toString(), "--source", "rpicam", "--rpicam-vid", camera.toString(),
                "--camera-width", "64", "--camera-height", "32", "--count", "2", "--no-discovery",
                "--broker", broker.url(), "--device", "colour"}, QUIET, new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            for (int k = 0; k < 2; k++) {
                Subscriber.Received r = predictions.poll(Duration.ofSeconds(30));
                assertNotNull(r, "prediction " + k);
                Map<String, Object> m = Json.parseObject(r.payload());
                assertEquals(expected.classIndex(), ((Number) m.get("class")).intValue());
                assertEquals(Math.round(expected.confidence() * 1e4) / 1e4, ((Number) m.get("confidence")).doubleValue(), 1e-9);
                assertEquals("camera", m.get("source"));
            }
        }
    }
}
