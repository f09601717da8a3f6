package org.edgeml.quantizer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.quantizer.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Output paths are checked before any work, and no command writes over its input model. */
class OutputChecksTest {
    @TempDir
    static Path dir;
    static Path floatModel;
    static Path q8;

    @BeforeAll
    static void models() throws Exception {
        floatModel = TestModels.writeModelAndData(dir, TestModels.random(3, Activation.RELU, 16, 10), 100, 100);
        q8 = dir.resolve("m.q8");
        Q8ModelFile.write(org.edgeml.core.engine.TestModels.model(3, 28, Activation.RELU, 6, 10), q8);
    }

    private static String refusal(Callable<Integer> command, String... args) {
        new CommandLine(command).parseArgs(args);
        EdgemlException e = assertThrows(EdgemlException.class, command::call);
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void quantizeNeverWritesOverTheFloatModel() throws Exception {
        byte[] before = Files.readAllBytes(floatModel);
        String same = refusal(new QuantizeCommand(), floatModel.toString(), "--out", floatModel.toString());
        assertTrue(same.contains("is the input"), same);

        Path clash = Files.copy(floatModel, dir.resolve("clash.q8"));
        String byDefault = refusal(new QuantizeCommand(), clash.toString());
        assertTrue(byDefault.contains("default --out would replace it") && byDefault.contains("give --out"), byDefault);
        assertArrayEquals(before, Files.readAllBytes(floatModel));
        assertArrayEquals(before, Files.readAllBytes(clash));
    }

    @Test
    void badOutputPathsFailBeforeTheModelIsEvenRead() throws Exception {
        Path missing = dir.resolve("no-such-model.zip");
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        // The input does not exist: an output error proves the output was checked first.
        assertTrue(refusal(new QuantizeCommand(), missing.toString(), "--out", dir.toString()).contains("is a directory"));
        assertTrue(refusal(new QuantizeCommand(), missing.toString(), "--out", aFile.resolve("x.q8").toString())
                .contains("is a file, not a directory"));
        assertTrue(refusal(new ExportCCommand(), missing.toString(), "--out", aFile.toString()).contains("needs a directory"));
        assertTrue(refusal(new CheckCommand(), missing.toString(), "--report", aFile.resolve("rep").toString())
                .contains("--report"));
        assertTrue(refusal(new KeygenCommand(), "--out", dir.toString()).contains("is a directory"));
        assertTrue(refusal(new SignCommand(), missing.toString(), "--key", missing.toString(), "--out", dir.toString())
                .contains("is a directory"));
    }

    @Test
    void signRefusesToWriteTheModelOverItsKey() throws Exception {
        Path key = dir.resolve("sign-key");
        new CommandLine(new KeygenCommand()).execute("--out", key.toString());
        byte[] before = Files.readAllBytes(key);
        assertTrue(refusal(new SignCommand(), q8.toString(), "--key", key.toString(), "--out", key.toString())
                .contains("is the input"));
        assertArrayEquals(before, Files.readAllBytes(key));
    }
}
