package org.edgeml.quantizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.core.security.ModelVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** keygen, sign and check --trusted-key as the command line runs them. */
class SigningCommandsTest {
    @TempDir
    Path dir;

    private static <T extends java.util.concurrent.Callable<Integer>> int call(T command, String... args) throws Exception {
        new CommandLine(command).parseArgs(args);
        return command.call();
    }

    @Test
    void keygenThenSignInPlaceAndToACopy() throws Exception {
        Path key = dir.resolve("keys/release");
        assertEquals(0, call(new KeygenCommand(), "--out", key.toString()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Path pub = dir.resolve("keys/release.pub");
        assertTrue(Files.isRegularFile(pub));
        EdgemlException again = assertThrows(EdgemlException.class, () -> call(new KeygenCommand(), "--out", key.toString()));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());

        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(3, 4, Activation.RELU, 5, 3), model);
        String id = Q8ModelFile.read(model).id();
        Path copy = dir.resolve("signed.q8");
        assertEquals(0, call(new SignCommand(), model.toString(), "--key", key.toString(), "--out", copy.toString()));
        assertTrue(Q8ModelFile.read(model).signatureIfAny().isEmpty(), "--out leaves the original alone");
        LoadedModel signed = Q8ModelFile.read(copy);
        assertEquals(id, signed.id());
        assertEquals(Ed25519Keys.keyId(Ed25519Keys.readPublic(pub, "k")), signed.signature().keyId());
        assertTrue(ModelVerifier.trusting(pub, "k").problemWith(signed).isEmpty());

        assertEquals(0, call(new SignCommand(), model.toString(), "--key", key.toString()));
        assertTrue(Q8ModelFile.read(model).signatureIfAny().isPresent(), "signed in place");
    }

    @Test
    void quantizeSignsWhatItWrites() throws Exception {
        Path key = dir.resolve("k");
        call(new KeygenCommand(), "--out", key.toString());
        Path floatModel = org.edgeml.quantizer.TestModels.writeModelAndData(dir,
                org.edgeml.quantizer.TestModels.random(4, Activation.RELU, 16, 10), 100, 100);
        Path out = dir.resolve("q.q8");
        org.edgeml.quantizer.QuantizeJob.Result r = org.edgeml.quantizer.QuantizeJob.run(
                new org.edgeml.quantizer.QuantizeJob.Request(floatModel, out, 50,
                        org.edgeml.quantizer.calibration.CalibrationMethod.MINMAX,
                        new org.edgeml.host.data.DatasetSpec("idx", dir.resolve("data"), 1), key),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertTrue(ModelVerifier.trusting(dir.resolve("k.pub"), "k").problemWith(Q8ModelFile.read(out)).isEmpty());
        assertTrue(QuantizeCommand.summary(r).contains("signed by key " + r.model().signature().keyId()));
    }

    @Test
    void signRefusesAMissingKeyAndANonModel() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(3, 4, Activation.RELU, 5, 3), model);
        EdgemlException noKey = assertThrows(EdgemlException.class,
                () -> call(new SignCommand(), model.toString(), "--key", dir.resolve("nokey").toString()));
        assertTrue(noKey.getMessage().startsWith("--key " + dir.resolve("nokey") + ": no such file"), noKey.getMessage());
        Path key = dir.resolve("k");
        call(new KeygenCommand(), "--out", key.toString());
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        EdgemlException notModel = assertThrows(EdgemlException.class,
                () -> call(new SignCommand(), text.toString(), "--key", key.toString()));
        assertTrue(notModel.getMessage().contains("not an edgeml int8 model"), notModel.getMessage());
    }

    @Test
    void checkWithATrustedKeyRefusesAnUnsignedModel() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(3, 4, Activation.RELU, 5, 3), model);
        Path key = dir.resolve("k");
        call(new KeygenCommand(), "--out", key.toString());
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> call(new CheckCommand(), model.toString(), "--trusted-key", dir.resolve("k.pub").toString()));
        assertEquals(EdgemlException.EXIT_MODEL_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("refused: the model is not signed"), e.getMessage());
    }
}
