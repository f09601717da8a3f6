package org.edgeml.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.DatasetSpec;
import org.edgeml.quantizer.QuantizeJob;
import org.edgeml.quantizer.TestModels;
import org.edgeml.quantizer.calibration.CalibrationMethod;
import org.edgeml.runtime.RuntimeMain;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device runtime publishing to the embedded broker (Moquette), as the demo does on a machine without mosquitto. */
class MoquetteRuntimeTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void quantizeATinyModel() throws Exception {
        Path floatModel = TestModels.writeModelAndData(dir, TestModels.random(5, Activation.RELU, 32, 10), 300, 200);
        data = dir.resolve("data");
        model = dir.resolve("m.q8");
        QuantizeJob.run(new QuantizeJob.Request(floatModel, model, 100, CalibrationMethod.MINMAX,
                new DatasetSpec("idx", data, 1)), QUIET);
    }

    @Test
    void theRuntimesPredictionsAndStatusGoThroughTheEmbeddedBroker() throws Exception {
        LabeledImages test = IdxReader.read(data.resolve("t10k-images-idx3-ubyte"), data.resolve("t10k-labels-idx1-ubyte"));
        Int8Engine engine = new Int8Engine(Q8ModelFile.read(model).model());
        int n = 200;

        try (MoquetteBroker broker = MoquetteBroker.start();
                Subscriber s = new Subscriber(broker.url(), "watcher", false, "edgeml/demo/#")) {
            int code = RuntimeMain.run(new String[] {"--model", model.toString(), "--source", "idx:" + data,
                "--broker", broker.url(), "--device", "demo", "--count", Integer.toString(n)}, QUIET, QUIET);
            assertEquals(0, code);
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < n && System.nanoTime() < deadline) {
                Subscriber.Received r = s.poll(Duration.ofSeconds(10));
                assertNotNull(r, "received only " + seen + " of " + n + " predictions");
                if (r.topic().equals("edgeml/demo/prediction")) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    assertEquals((long) seen + 1, m.get("seq"), "in order");
                    assertEquals((long) engine.classifyPixels(test.image(seen)), m.get("class"), "image " + seen);
                    seen++;
                }
            }
            assertEquals(n, seen);

            try (Subscriber late = new Subscriber(broker.url(), "late", false, "edgeml/demo/status")) {
                Subscriber.Received status = late.poll(Duration.ofSeconds(10));
                // arriving at a subscriber that came after it is what makes it retained (Moquette 0.17 clears
                // the retain flag on retained messages it delivers at QoS 1)
                assertNotNull(status, "a retained status");
                assertEquals("offline", Json.parseObject(status.payload()).get("state"));
            }
        }
    }

    @Test
    void aKilledRuntimesWillMarksItOffline() throws Exception {
        try (MoquetteBroker broker = MoquetteBroker.start();
                Subscriber s = new Subscriber(broker.url(), "watcher", false, "edgeml/victim/status")) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName(),
                    "--model", model.toString(), "--source", "idx:" + data, "--device", "victim", "--fps", "5",
                    "--broker", broker.url());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                assertEquals("online", nextState(s), Files.readString(dir.resolve("child.log")));
                p.destroyForcibly(); // SIGKILL: only the broker can tell
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals("offline", nextState(s));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static String nextState(Subscriber s) throws InterruptedException {
        Subscriber.Received r = s.poll(Duration.ofSeconds(30));
        return r == null ? "nothing within 30 s" : String.valueOf(Json.parseObject(r.payload()).get("state"));
    }
}
