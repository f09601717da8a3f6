package org.edgeml.host.data;

import org.edgeml.core.data.IdxReader;
import org.edgeml.core.data.LabeledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] img = IdxWriter.images(3, 2, 4, pixels(24));
        byte[] lab = IdxWriter.labels(new int[] {7, 0, 255});
        LabeledImages plain = IdxReader.read(write("i", img), write("l", lab));
        LabeledImages gz = IdxReader.read(write("i.gz", IdxTestFiles.gzip(img)), write("l.gz", IdxTestFiles.gzip(lab)));
        assertEquals(3, plain.count());
        assertEquals(2, plain.rows());
        assertEquals(4, plain.cols());
        assertArrayEquals(pixels(24), plain.pixels());
        assertArrayEquals(new int[] {7, 0, 255}, plain.labels());
        assertArrayEquals(plain.pixels(), gz.pixels());
        assertArrayEquals(plain.labels(), gz.labels());
        assertEquals((byte) (13 * 7) & 0xFF, plain.pixel(1, 1, 1));
    }

    @Test
    void wrongMagicNamesTheFileAndSaysWhatItIs() throws IOException {
        Path labels = write("labels", IdxWriter.labels(new int[] {1}));
        EdgemlException e = assertThrows(EdgemlException.class, () -> IdxReader.readImages(labels));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX image file") && e.getMessage().contains("label file"), e.getMessage());
        Path images = write("images", IdxWriter.images(1, 1, 1, new byte[1]));
        e = assertThrows(EdgemlException.class, () -> IdxReader.readLabels(images));
        assertTrue(e.getMessage().contains("not an IDX label file"), e.getMessage());
        Path text = write("text", "hello world, not idx".getBytes());
        assertThrows(EdgemlException.class, () -> IdxReader.readImages(text));
    }

    @Test
    void truncatedDataSaysHowMuchWasPromisedAndFound() throws IOException {
        byte[] img = IdxWriter.images(3, 2, 4, pixels(24));
        Path cut = write("cut", Arrays.copyOf(img, img.length - 5));
        EdgemlException e = assertThrows(EdgemlException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("24 bytes")
                && e.getMessage().contains("only 19 bytes"), e.getMessage());
        Path header = write("header", Arrays.copyOf(img, 6));
        e = assertThrows(EdgemlException.class, () -> IdxReader.readImages(header));
        assertTrue(e.getMessage().contains("inside the header"), e.getMessage());
        Path gzCut = write("gzcut.gz", Arrays.copyOf(IdxTestFiles.gzip(img), 20));
        e = assertThrows(EdgemlException.class, () -> IdxReader.readImages(gzCut));
        assertTrue(e.getMessage().startsWith(gzCut.toString()), e.getMessage());
    }

    @Test
    void extraBytesAndImpossibleDimensionsAreErrors() throws IOException {
        byte[] img = IdxWriter.images(1, 2, 2, pixels(4));
        Path extra = write("extra", Arrays.copyOf(img, img.length + 3));
        assertTrue(assertThrows(EdgemlException.class, () -> IdxReader.readImages(extra)).getMessage()
                .contains("3 unexpected bytes"));
        Path zero = write("zero", IdxWriter.images(1, 0, 2, new byte[0]));
        assertTrue(assertThrows(EdgemlException.class, () -> IdxReader.readImages(zero)).getMessage()
                .contains("impossible dimensions"));
        // A header claiming 2^31 images must fail as truncated without allocating gigabytes.
        byte[] huge = IdxWriter.images(1, 28, 28, new byte[784]);
        huge[4] = 0x7f;
        Path hugeFile = write("huge", huge);
        assertThrows(EdgemlException.class, () -> IdxReader.readImages(hugeFile));
        huge[4] = 0;
        huge[5] = 0x10;
        Path bigFile = write("big", huge);
        assertTrue(assertThrows(EdgemlException.class, () -> IdxReader.readImages(bigFile)).getMessage().contains("truncated"));
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        Path images = write("img", IdxWriter.images(2, 1, 1, new byte[2]));
        Path labels = write("lab", IdxWriter.labels(new int[] {1, 2, 3}));
        EdgemlException e = assertThrows(EdgemlException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("2 images"), e.getMessage());
    }

    @Test
    void missingFile() {
        EdgemlException e = assertThrows(EdgemlException.class, () -> IdxReader.readImages(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
