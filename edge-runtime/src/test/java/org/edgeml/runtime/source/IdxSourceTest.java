package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSourceTest {
    @TempDir
    Path dir;

    @Test
    void replaysEveryImageWithItsLabelThenEnds() {
        byte[] px = new byte[3 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        try (IdxSource source = new IdxSource(new LabeledImages(2, 2, px, new int[] {7, 1, 4}), "idx:test")) {
            for (int i = 0; i < 3; i++) {
                Frame f = source.next();
                assertEquals(i, f.seq());
                assertEquals(new int[] {7, 1, 4}[i], f.label());
                assertEquals(4 * i + 3, f.plane()[f.offset() + f.stride() + 1]);
            }
            assertNull(source.next());
        }
    }

    @Test
    void locatesTheTestSetInAFolderOrNextToTheImageFile() throws Exception {
        Path images = Files.createFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Path labels = Files.createFile(dir.resolve("t10k-labels-idx1-ubyte"));
        assertEquals(new IdxSource.TestSet(images, labels), IdxSource.locate(dir));
        assertEquals(new IdxSource.TestSet(images, dir.resolve("t10k-labels-idx1-ubyte.gz")),
                new IdxSource.TestSet(images, dir.resolve("t10k-labels-idx1-ubyte.gz")));
        Files.createFile(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(new IdxSource.TestSet(images, dir.resolve("t10k-labels-idx1-ubyte.gz")), IdxSource.locate(images));
    }

    @Test
    void namesTheMissingFile() throws Exception {
        EdgemlException e = assertThrows(EdgemlException.class, () -> IdxSource.locate(dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte[.gz]"), e.getMessage());
        Path images = Files.createFile(dir.resolve("train-images-idx3-ubyte"));
        e = assertThrows(EdgemlException.class, () -> IdxSource.locate(images));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
    }
}
