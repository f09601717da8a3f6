package org.edgeml.host.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.image.ColourPreprocessor;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.host.io.ProgressBar;

/**
 * A dataset made of a folder with one sub-folder of images per class (the sub-folder's name is the
 * class name, classes in alphabetical order). Every image, of any size, goes through the edge
 * runtime's preprocessing (centre crop, area-average downscale) exactly as camera frames will: the
 * {@link Preprocessor} for grey images ({@code H x W x 1}, BT.601 luma), the {@link ColourPreprocessor}
 * for colour ones ({@code H x W x 3}, RGB).
 * A seeded, per-class share of the images is held out as the test set.
 */
public final class FolderDataset {
    public static final double TEST_FRACTION = 0.2;
    /** Fewer images than this in a class get a warning: too few to learn the class and to test it. */
    public static final int MIN_IMAGES_PER_CLASS = 10;
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private FolderDataset() {}

    /** Grey {@code size x size} images. */
    public static Dataset load(Path dir, int size, long seed, PrintStream log) {
        return load(dir, size, size, 1, seed, log);
    }

    /** Images of {@code height x width x channels}: {@code channels} 1 for grey, 3 for colour (RGB). */
    public static Dataset load(Path dir, int height, int width, int channels, long seed, PrintStream log) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 (grey) or 3 (colour) channels, got " + channels);
        }
        if (!Files.isDirectory(dir)) {
            throw new EdgemlException(dir + ": not a directory (--dataset folder needs --data DIR with one sub-folder per class)");
        }
        List<Path> classDirs = list(dir).filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                .sorted().toList();
        if (classDirs.size() < 2) {
            throw new EdgemlException(dir + ": found " + classDirs.size() + " class sub-folder(s), need at least 2 "
                    + "(put each class's PNG/JPEG images in a sub-folder named after the class)");
        }
        List<String> labels = new ArrayList<>();
        List<List<Path>> files = new ArrayList<>();
        int total = 0;
        for (Path classDir : classDirs) {
            List<Path> images = list(classDir).filter(FolderDataset::isImage).sorted().toList();
            if (images.isEmpty()) {
                throw new EdgemlException(classDir + ": no PNG or JPEG images in this class folder (add images or remove the folder)");
            }
            labels.add(classDir.getFileName().toString());
            files.add(images);
            total += images.size();
        }
        reportClassSizes(labels, files, log);
        Function<Path, byte[]> read = channels == 1
                ? grey(new Preprocessor(height, width, false))
                : colour(new ColourPreprocessor(height, width, false));
        List<byte[]> trainImages = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<byte[]> testImages = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        ProgressBar bar = new ProgressBar(log, "reading images", total);
        int done = 0;
        int skipped = 0;
        for (int c = 0; c < files.size(); c++) {
            List<Path> images = files.get(c);
            int[] order = Split.shuffled(images.size(), seed + c);
            int heldOut = images.size() < 2 ? 0 : Math.max(1, (int) Math.round(images.size() * TEST_FRACTION));
            for (int k = 0; k < order.length; k++) {
                Path file = images.get(order[k]);
                bar.update(++done, labels.get(c));
                byte[] pixels;
                try {
                    pixels = read.apply(file);
                } catch (EdgemlException e) {
                    log.println("edgeml: warning: skipping " + e.getMessage());
                    skipped++;
                    continue;
                }
                (k < heldOut ? testImages : trainImages).add(pixels);
                (k < heldOut ? testLabels : trainLabels).add(c);
            }
        }
        bar.finish();
        if (trainImages.isEmpty() || testImages.isEmpty()) {
            throw new EdgemlException(dir + ": too few readable images to make a training and a test set ("
                    + (total - skipped) + " readable of " + total + ")");
        }
        if (skipped > 0) {
            log.println("edgeml: warning: skipped " + skipped + " unreadable image(s) of " + total);
        }
        return new Dataset(DatasetSpec.FOLDER, labels, pack(height, width, channels, trainImages, trainLabels),
                pack(height, width, channels, testImages, testLabels), dir.toString());
    }

    private static Function<Path, byte[]> grey(Preprocessor preprocessor) {
        return file -> preprocessor.process(Preprocessor.decode(file));
    }

    private static Function<Path, byte[]> colour(ColourPreprocessor preprocessor) {
        return file -> preprocessor.process(ColourPreprocessor.decode(file));
    }

    private static void reportClassSizes(List<String> labels, List<List<Path>> files, PrintStream log) {
        List<String> all = new ArrayList<>();
        List<String> few = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            String entry = labels.get(c) + " " + files.get(c).size();
            all.add(entry);
            if (files.get(c).size() < MIN_IMAGES_PER_CLASS) {
                few.add(entry);
            }
        }
        log.println("edgeml: " + labels.size() + " classes (images per class): " + String.join(", ", all));
        if (!few.isEmpty()) {
            log.println("edgeml: warning: too few images to learn and test " + String.join(", ", few)
                    + "; give every class at least " + MIN_IMAGES_PER_CLASS + " (a few hundred is better)");
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && !name.startsWith(".") && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static LabeledImages pack(int height, int width, int channels, List<byte[]> images, List<Integer> labels) {
        int size = height * width * channels;
        byte[] pixels = new byte[images.size() * size];
        int[] l = new int[labels.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * size, size);
            l[i] = labels.get(i);
        }
        return new LabeledImages(height, width, channels, pixels, l);
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (IOException e) {
            throw new EdgemlException(dir + ": cannot list the directory (" + e.getMessage() + ")");
        }
    }
}
