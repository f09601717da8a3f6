package org.edgeml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime killed with SIGKILL while the broker is away, then started again with the same
 * {@code --persistence-dir} (as a deployed device is, see docs/deploy.md): every prediction of the killed run
 * still arrives once the broker is back.
 */
class CrashDuringOutageTest {
    @TempDir
    Path dir;

    private Process runtime(Path data, int count, String url, Path persistence) throws Exception {
        Path model = dir.resolve("m.q8");
        if (!Files.exists(model)) {
            Q8ModelFile.write(TestModels.model(8, 28, Activation.RELU, 16, 10), model);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeMain.class.getName(),
                "--model", model.toString(), "--source", "idx:" + data, "--count", Integer.toString(count),
                "--broker", url, "--device", "crash", "--client-id", "edgeml-crash", "--qos", "1", "--no-discovery",
                "--persistence-dir", persistence.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void predictionsMadeDuringAnOutageSurviveASigkillAndARestart() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            int frames = 40;
            Path data = dir.resolve("data");
            IdxTestFiles.writeDataset(data, frames, 28, 10, false);
            Path persistence = dir.resolve("state/mqtt");
            try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
                    Subscriber s = new Subscriber(broker.url(), "crash-sub", true, "edgeml/crash/prediction")) {
                broker.stop();
                Process first = runtime(data, frames, broker.url(), persistence);
                BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder log = new StringBuilder();
                for (String line; (line = out.readLine()) != null && !line.contains("stopped after " + frames); ) {
                    log.append(line).append('\n');
                }
                assertTrue(first.isAlive(), "the run made its predictions and waits for the broker: " + log);
                first.destroyForcibly(); // SIGKILL, while everything is still undelivered
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
                broker.start();
                Process second = runtime(data, 1, broker.url(), persistence);
                second.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                assertEquals(0, second.waitFor(), "the second run delivers everything");
                Map<String, TreeSet<Long>> byBoot = new TreeMap<>();
                Subscriber.Received r;
                while ((r = s.poll(Duration.ofSeconds(3))) != null) {
                    Map<String, Object> m = Json.parseObject(r.payload());
                    byBoot.computeIfAbsent((String) m.get("boot"), b -> new TreeSet<>()).add((Long) m.get("seq"));
                }
                TreeSet<Long> killed = byBoot.values().stream().filter(seqs -> seqs.size() > 1).findFirst()
                        .orElse(new TreeSet<>());
                assertEquals(frames, killed.size(), "seqs of the killed run that arrived: " + byBoot);
                assertEquals(1L, killed.first());
                assertEquals((long) frames, killed.last());
            }
        });
    }
}
