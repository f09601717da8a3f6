package org.edgeml.host.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.io.AtomicFiles;

/** Writes IDX files, the format {@link IdxReader} reads (plain, not gzipped). */
public final class IdxWriter {
    private IdxWriter() {}

    /** An IDX image file: magic, count, rows, cols (big-endian), then the pixels as given. */
    public static byte[] images(int count, int rows, int cols, byte[] pixels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + pixels.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An IDX label file: magic, count, then one byte per label. */
    public static byte[] labels(int[] labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + labels.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes {@code images} as {@code DIR/SET-images-idx3-ubyte} and {@code DIR/SET-labels-idx1-ubyte}, where
     * SET is {@code train} or {@code t10k}.
     */
    public static void write(Path dir, String set, LabeledImages images) throws IOException {
        AtomicFiles.write(dir.resolve(set + "-images-idx3-ubyte"),
                images(images.count(), images.rows(), images.cols(), images.pixels()));
        AtomicFiles.write(dir.resolve(set + "-labels-idx1-ubyte"), labels(images.labels()));
    }
}
