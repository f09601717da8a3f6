package org.edgeml.host.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
public final class IdxTestFiles {
    private IdxTestFiles() {}

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    /** Writes the four files of a dataset of {@code count} train and test images into {@code dir}. */
    public static void writeDataset(Path dir, int count, int size, int classes, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        for (String set : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[count * size * size];
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = i % classes;
                for (int p = 0; p < size * size; p++) {
                    pixels[i * size * size + p] = (byte) ((labels[i] * 37 + p) & 0xFF);
                }
            }
            byte[] img = IdxWriter.images(count, size, size, pixels);
            byte[] lab = IdxWriter.labels(labels);
            String suffix = gzipped ? ".gz" : "";
            Files.write(dir.resolve(set + "-images-idx3-ubyte" + suffix), gzipped ? gzip(img) : img);
            Files.write(dir.resolve(set + "-labels-idx1-ubyte" + suffix), gzipped ? gzip(lab) : lab);
        }
    }
}
