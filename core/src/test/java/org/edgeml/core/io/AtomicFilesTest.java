package org.edgeml.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void writtenFilesGetTheModeTheUmaskGivesAnyNewFile() throws Exception {
        // The peer: a file created the ordinary way, which the OS gives 0666 minus the umask.
        String umaskMode = mode(Files.createFile(dir.resolve("peer")));
        Path model = dir.resolve("sub/model.q8");
        AtomicFiles.write(model, new byte[] {1, 2, 3});
        assertEquals(umaskMode, mode(model));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(model));
        AtomicFiles.writeString(model, "again");
        assertEquals(umaskMode, mode(model));
        try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void secretsAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path secret = dir.resolve("key");
        AtomicFiles.writeOwnerOnly(secret, "secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("rw-------", mode(secret));
        assertTrue(Files.readString(secret).equals("secret"));
    }
}
