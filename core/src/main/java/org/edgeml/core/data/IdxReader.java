package org.edgeml.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.edgeml.core.EdgemlException;

/**
 * Reads the IDX files of MNIST-style datasets, gzipped or plain (recognised by content, not by name).
 *
 * <p>Images: big-endian magic {@code 0x00000803}, count, rows, cols, then count*rows*cols unsigned
 * bytes. Labels: magic {@code 0x00000801}, count, then count bytes. Every malformed file is an
 * {@link EdgemlException} that names the file and the problem; sizes from headers are never trusted
 * for allocation beyond the bytes actually present.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_SIDE = 4096;

    private IdxReader() {}

    /** Images and their labels; fails when the counts differ. */
    public static LabeledImages read(Path images, Path labels) {
        Images img = readImages(images);
        int[] lab = readLabels(labels);
        if (lab.length != img.count()) {
            throw new EdgemlException(labels + " holds " + lab.length + " labels but " + images.getFileName()
                    + " holds " + img.count() + " images: the two files do not belong together");
        }
        return new LabeledImages(img.rows(), img.cols(), img.pixels(), lab);
    }

    /** The pixels of an IDX image file. */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    public static Images readImages(Path file) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw bad(file, String.format("not an IDX image file (magic 0x%08x, expected 0x%08x)%s",
                        magic, IMAGES_MAGIC, magic == LABELS_MAGIC ? ": it is a label file" : ""));
            }
            int count = header(in, file, "image count");
            int rows = header(in, file, "row count");
            int cols = header(in, file, "column count");
            if (count < 0 || rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw bad(file, "impossible dimensions in the header: " + count + " images of " + rows + "x" + cols);
            }
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 16) {
                throw bad(file, "too large: " + count + " images of " + rows + "x" + cols + " do not fit in memory");
            }
            byte[] pixels = body(in, file, (int) size, count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The labels of an IDX label file, as ints 0..255. */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, "magic number");
            if (magic != LABELS_MAGIC) {
                throw bad(file, String.format("not an IDX label file (magic 0x%08x, expected 0x%08x)%s",
                        magic, LABELS_MAGIC, magic == IMAGES_MAGIC ? ": it is an image file" : ""));
            }
            int count = header(in, file, "label count");
            if (count < 0) {
                throw bad(file, "impossible label count " + count + " in the header");
            }
            byte[] raw = body(in, file, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static int header(InputStream in, Path file, String field) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw bad(file, "truncated: the file ends inside the header (reading the " + field + ")");
            }
            value = (value << 8) | b;
        }
        return value;
    }

    /** DEFLATE cannot expand data by more than about 1032:1, so a gzipped file bounds what it can hold. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * Reads exactly {@code size} bytes into one array of that size (no growing buffers: a device with a
     * 32 MB heap can replay a dataset). A header that promises more than the file could possibly hold is
     * refused before anything is allocated.
     */
    private static byte[] body(InputStream in, Path file, int size, String what) throws IOException {
        long fileBytes = Files.size(file);
        long mostPossible = isGzip(file) ? fileBytes * MAX_DEFLATE_RATIO : fileBytes;
        if (size > mostPossible) {
            throw bad(file, "truncated: the header promises " + what + " (" + size + " bytes of data) but the file"
                    + " holds only " + fileBytes + " bytes");
        }
        byte[] data = new byte[size];
        int read = in.readNBytes(data, 0, size);
        if (read < size) {
            throw bad(file, "truncated: the header promises " + what + " (" + size + " bytes of data) but only "
                    + read + " bytes follow");
        }
        byte[] chunk = new byte[1 << 12];
        long extra = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            extra += n;
        }
        if (extra > 0) {
            throw bad(file, extra + " unexpected bytes after the " + what + " the header announces");
        }
        return data;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static EdgemlException bad(Path file, String problem) {
        return new EdgemlException(file + ": " + problem);
    }

    private static EdgemlException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new EdgemlException(file + ": no such file");
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return new EdgemlException(file + ": corrupt gzip data (" + e.getMessage() + "); download the file again");
        }
        return new EdgemlException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
}
