package org.edgeml.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportOnnxCommandTest {
    @TempDir
    Path dir;

    private String refusal(String... args) {
        ExportOnnxCommand command = new ExportOnnxCommand();
        new CommandLine(command).parseArgs(args);
        EdgemlException e = assertThrows(EdgemlException.class, command::call);
        assertEquals(2, e.exitCode());
        return e.getMessage();
    }

    @Test
    void neverWritesOverItsModelNorIntoADirectory() throws Exception {
        Path model = dir.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(5, 4, Activation.RELU, 6, 3), model);
        byte[] before = Files.readAllBytes(model);
        assertTrue(refusal(model.toString(), "--out", model.toString()).contains("is the input"));
        assertArrayEquals(before, Files.readAllBytes(model));
        assertTrue(refusal(dir.resolve("missing.q8").toString(), "--out", dir.toString()).contains("is a directory"));
    }
}
