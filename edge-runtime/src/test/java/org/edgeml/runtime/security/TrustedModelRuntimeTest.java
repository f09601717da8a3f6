package org.edgeml.runtime.security;

import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.host.security.ModelSigner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.data.IdxTestFiles;
import org.edgeml.runtime.RuntimeMain;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime with --trusted-key against a real mosquitto: only models signed by that key run. */
class TrustedModelRuntimeTest {
    @TempDir
    static Path dir;
    static MosquittoBroker broker;
    static Path unsigned;
    static Path signed;
    static Path key;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
        data = dir.resolve("data");
        IdxTestFiles.writeDataset(data, 20, 28, 10, false);
        unsigned = dir.resolve("unsigned.q8");
        Q8ModelFile.write(TestModels.model(9, 28, Activation.RELU, 16, 10), unsigned);
        key = dir.resolve("key");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.writePrivate(key, pair.getPrivate());
        Ed25519Keys.writePublic(dir.resolve("key.pub"), pair.getPublic());
        signed = dir.resolve("signed.q8");
        Q8ModelFile.writeBytes(ModelSigner.fromKeyFile(key, "--key").sign(Files.readAllBytes(unsigned), "signed.q8"), signed);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static String[] args(Path model, String device, String... more) {
        String[] base = {"--model", model.toString(), "--source", "idx:" + data, "--broker", broker.url(), "--device", device,
            "--trusted-key", dir.resolve("key.pub").toString(), "--count", "3"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Runs the runtime; returns its exit code and checks that a refusal is one line on stderr. */
    private static String refusal(Path model, String device) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Subscriber s = new Subscriber(broker.url(), "trust-" + device, false, "edgeml/" + device + "/status")) {
            int code = RuntimeMain.run(args(model, device), new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(err, true));
            assertEquals(3, code, err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            Subscriber.Received status = s.poll(Duration.ofSeconds(20));
            assertNotNull(status, "no status");
            Map<String, Object> m = Json.parseObject(status.payload());
            assertEquals("error", m.get("state"));
            assertTrue(String.valueOf(m.get("error")).startsWith(model.getFileName() + ": "), status.payload());
        }
        return err.toString();
    }

    @Test
    void anUnsignedModelIsRefused() throws Exception {
        String err = refusal(unsigned, "unsigned");
        assertTrue(err.contains("refused: the model is not signed"), err);
    }

    @Test
    void aTamperedSignedModelIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(signed);
        bytes[200] ^= 0x10; // a weight: the digest no longer matches
        Path tampered = dir.resolve("tampered.q8");
        Files.write(tampered, bytes);
        String err = refusal(tampered, "tampered");
        assertTrue(err.contains("refused: digest mismatch"), err);
    }

    @Test
    void aModelSignedByAnotherKeyIsRefused() throws Exception {
        Path other = dir.resolve("other");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.writePrivate(other, pair.getPrivate());
        Ed25519Keys.writePublic(dir.resolve("other.pub"), pair.getPublic());
        Path foreign = dir.resolve("foreign.q8");
        Q8ModelFile.writeBytes(ModelSigner.fromKeyFile(other, "--key").sign(Files.readAllBytes(unsigned), "f"), foreign);
        String err = refusal(foreign, "foreign");
        assertTrue(err.contains("refused: the model is signed by key " + Ed25519Keys.keyId(pair.getPublic())), err);
    }

    @Test
    void aSignedModelRuns() throws Exception {
        try (Subscriber s = new Subscriber(broker.url(), "trust-ok", false, "edgeml/trusted/prediction")) {
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            assertEquals(0, RuntimeMain.run(args(signed, "trusted"), quiet, quiet));
            for (int i = 1; i <= 3; i++) {
                Subscriber.Received r = s.poll(Duration.ofSeconds(20));
                assertNotNull(r, "prediction " + i);
                assertEquals(Q8ModelFile.read(unsigned).id(), Json.parseObject(r.payload()).get("model"));
            }
        }
    }
}
