package org.edgeml.host.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
    @TempDir
    Path dir;

    private static String refusal(org.junit.jupiter.api.function.Executable check) {
        EdgemlException e = assertThrows(EdgemlException.class, check);
        assertEquals(EdgemlException.EXIT_BAD_INPUT, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFileOutputMayNotBeADirectoryNorTheInputNorUnderAFile() throws Exception {
        Path input = Files.writeString(dir.resolve("same.zip"), "model");
        Path sub = Files.createDirectories(dir.resolve("sub"));

        assertTrue(refusal(() -> OutputPaths.requireWritableFile(sub, "--out")).contains("--out " + sub + " is a directory"));
        String same = refusal(() -> OutputPaths.requireWritableFile(sub.resolve("../same.zip"), "--out", input));
        assertTrue(same.contains("is the input") && same.contains("choose another --out"), same);
        Path link = Files.createSymbolicLink(dir.resolve("link.zip"), input);
        assertTrue(refusal(() -> OutputPaths.requireWritableFile(link, "--out", input)).contains("is the input"));
        String underFile = refusal(() -> OutputPaths.requireWritableFile(input.resolve("x/m.q8"), "--out"));
        assertTrue(underFile.contains(input + " is a file, not a directory"), underFile);
    }

    @Test
    void missingParentsAndExistingFilesAreFine() throws Exception {
        Path old = Files.writeString(dir.resolve("old.q8"), "old");
        assertDoesNotThrow(() -> OutputPaths.requireWritableFile(dir.resolve("a/b/c/m.q8"), "--out", dir.resolve("in.zip")));
        assertDoesNotThrow(() -> OutputPaths.requireWritableFile(old, "--out", dir.resolve("in.zip")));
        assertDoesNotThrow(() -> OutputPaths.requireWritableDirectory(dir.resolve("new/report"), "--report"));
        assertDoesNotThrow(() -> OutputPaths.requireWritableDirectory(dir, "--report"));
        assertTrue(Files.notExists(dir.resolve("a")), "checking creates nothing");
    }

    @Test
    void aDirectoryOutputMayNotBeAFileNorUnderOne() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        assertTrue(refusal(() -> OutputPaths.requireWritableDirectory(file, "--report")).contains("needs a directory"));
        assertTrue(refusal(() -> OutputPaths.requireWritableDirectory(file.resolve("rep"), "--report"))
                .contains(file + " is a file, not a directory"));
    }
}
