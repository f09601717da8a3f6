package org.edgeml.host.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    @Test
    void idxDatasetWithNumberedOrNamedLabels() throws IOException {
        IdxTestFiles.writeDataset(tmp, 6, 3, 3, false);
        Dataset d = Datasets.load(new DatasetSpec("idx", tmp, 1), QUIET);
        assertEquals(List.of("0", "1", "2"), d.labels());
        assertEquals(6, d.train().count());
        assertEquals(3, d.train().rows());
        Files.writeString(tmp.resolve("labels.txt"), "cat\ndog\nbird\n");
        assertEquals(List.of("cat", "dog", "bird"), Datasets.load(new DatasetSpec("idx", tmp, 1), QUIET).labels());
        Files.writeString(tmp.resolve("labels.txt"), "cat\n");
        EdgemlException e = assertThrows(EdgemlException.class, () -> Datasets.load(new DatasetSpec("idx", tmp, 1), QUIET));
        assertTrue(e.getMessage().contains("labels.txt"), e.getMessage());
    }

    @Test
    void namedDatasetRejectsLabelsBeyondItsClasses() throws IOException {
        IdxTestFiles.writeDataset(tmp, 12, 2, 12, false);
        DatasetLocator locator = new DatasetLocator(Map.of("EDGEML_OFFLINE", "1"), tmp, tmp, new Downloader(), null);
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> Datasets.load(new DatasetSpec("mnist", tmp, 1), locator, QUIET));
        assertTrue(e.getMessage().contains("label 10") && e.getMessage().contains("10 classes"), e.getMessage());
    }

    @Test
    void badSpecsAreClearErrors() {
        assertTrue(assertThrows(EdgemlException.class, () -> new DatasetSpec("cifar", null, 1)).getMessage()
                .contains("fashion-mnist, mnist, idx"));
        assertTrue(assertThrows(EdgemlException.class, () -> new DatasetSpec("folder", null, 1)).getMessage()
                .contains("--data DIR"));
        Path missing = tmp.resolve("nope");
        assertThrows(EdgemlException.class, () -> Datasets.load(new DatasetSpec("idx", missing, 1), QUIET));
    }

    @Test
    void realFashionMnistLoadsWithItsClassNames() {
        DatasetLocatorTest.assumeDebianFashionMnist();
        Dataset d = Datasets.load(new DatasetSpec("fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"), 1), QUIET);
        assertEquals(60000, d.train().count());
        assertEquals(10000, d.test().count());
        assertEquals("Ankle boot", d.labels().get(9));
        assertEquals(9, d.train().label(0)); // the first training image is an ankle boot
    }

    @Test
    void folderDatasetConvertsAnySizeAndHoldsOutAStratifiedSeededTestSet() throws IOException {
        writeFolder("bright", 10, Color.WHITE, 40, 30);
        writeFolder("dark", 10, Color.BLACK, 17, 50);
        Files.writeString(tmp.resolve("dark/notes.txt"), "ignored");
        Files.writeString(tmp.resolve("dark/broken.png"), "not a png");
        Dataset d = Datasets.load(new DatasetSpec("folder", tmp, 7), QUIET);
        assertEquals(List.of("bright", "dark"), d.labels());
        assertEquals(28, d.train().rows());
        assertEquals(20, d.train().count() + d.test().count()); // the unreadable image is skipped
        assertTrue(d.test().count() >= 3, "about 20% of each class held out");
        assertTrue(java.util.Arrays.stream(d.test().labels()).distinct().count() == 2, "both classes in the test set");
        for (int i = 0; i < d.train().count(); i++) {
            int expected = d.train().label(i) == 0 ? 255 : 0;
            assertEquals(expected, d.train().pixel(i, 14, 14));
        }
        Dataset again = Datasets.load(new DatasetSpec("folder", tmp, 7), QUIET);
        assertArrayEquals(d.test().pixels(), again.test().pixels());
    }

    @Test
    void folderDatasetReadsColourImagesToHeightWidthThreeAndGreyToHeightWidthOne() throws IOException {
        // 4x2 PNGs: columns 0-1 red (200, 10, 20), columns 2-3 blue (5, 6, 250); the centre 2x2 crop is columns 1-2
        for (String name : List.of("a", "b")) {
            Path dir = Files.createDirectories(tmp.resolve(name));
            for (int i = 0; i < 5; i++) {
                BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 4; x++) {
                        img.setRGB(x, y, x < 2 ? 0xC80A14 : 0x0506FA);
                    }
                }
                ImageIO.write(img, "png", dir.resolve(name + i + ".png").toFile());
            }
        }
        DatasetSpec spec = new DatasetSpec("folder", tmp, 3);
        DatasetLocator none = DatasetLocator.system();
        LabeledImages colour = Datasets.load(spec, none, 1, 2, 3, QUIET).train();
        assertEquals(3, colour.channels());
        assertEquals(6, colour.imageSize());
        assertArrayEquals(new byte[] {(byte) 200, 10, 20, 5, 6, (byte) 250}, colour.image(0));
        assertEquals(250, colour.pixel(0, 0, 1, 2));
        // one pixel: (200 + 5) / 2 = 102.5 -> 103, (10 + 6) / 2 = 8, (20 + 250) / 2 = 135
        assertArrayEquals(new byte[] {103, 8, (byte) 135}, Datasets.load(spec, none, 1, 1, 3, QUIET).train().image(0));
        // grey: BT.601 luma of red 0.299*200 + 0.587*10 + 0.114*20 = 68.45 and of blue 34.02
        LabeledImages grey = Datasets.load(spec, none, 1, 2, 1, QUIET).train();
        assertEquals(1, grey.channels());
        assertArrayEquals(new byte[] {68, 34}, grey.image(0));
    }

    @Test
    void loadForAModelResizesFolderImagesToItsInputAndRefusesAnIdxDatasetOfAnotherShape() throws IOException {
        Path folder = tmp.resolve("folder");
        Path idx = tmp.resolve("idx");
        for (String name : List.of("red", "blue")) {
            Path dir = Files.createDirectories(folder.resolve(name));
            for (int i = 0; i < 5; i++) {
                BufferedImage img = new BufferedImage(20 + i, 16, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(name.equals("red") ? Color.RED : Color.BLUE);
                g.fillRect(0, 0, 20 + i, 16);
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(name + i + ".png").toFile());
            }
        }
        Dataset colour = Datasets.loadFor(new DatasetSpec("folder", folder, 3), new Shape(6, 5, 3), "m.zip", QUIET);
        LabeledImages train = colour.train();
        assertEquals(List.of(6, 5, 3), List.of(train.rows(), train.cols(), train.channels()));
        assertEquals(List.of(6, 5, 3), List.of(colour.test().rows(), colour.test().cols(), colour.test().channels()));
        int blue = colour.labels().indexOf("blue");
        for (int i = 0; i < train.count(); i++) {
            boolean isBlue = train.label(i) == blue;
            assertEquals(List.of(isBlue ? 0 : 255, 0, isBlue ? 255 : 0),
                    List.of(train.pixel(i, 3, 2, 0), train.pixel(i, 3, 2, 1), train.pixel(i, 3, 2, 2)));
        }
        IdxTestFiles.writeDataset(idx, 6, 3, 3, false);
        assertEquals(3, Datasets.loadFor(new DatasetSpec("idx", idx, 1), new Shape(3, 3, 1), "m.zip", QUIET).train().rows());
        for (Shape other : List.of(new Shape(3, 3, 3), new Shape(4, 3, 1))) {
            EdgemlException e = assertThrows(EdgemlException.class,
                    () -> Datasets.loadFor(new DatasetSpec("idx", idx, 1), other, "m.zip", QUIET));
            assertEquals("idx images (" + idx + ") are 3x3x1 (grey) but m.zip takes " + other
                    + (other.channels() == 1 ? " (grey)" : " (colour)") + ": use a dataset of that shape, or a folder"
                    + " of images (--dataset folder --data DIR), which are resized to the model's input", e.getMessage());
        }
    }

    @Test
    void folderDatasetSaysHowManyImagesEachClassHasAndWarnsAboutTinyClasses() throws IOException {
        writeFolder("cat", 1, Color.WHITE, 10, 10);
        writeFolder("dog", 12, Color.BLACK, 10, 10);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        Datasets.load(new DatasetSpec("folder", tmp, 1), new PrintStream(log, true));
        List<String> lines = log.toString().lines().filter(l -> l.startsWith("edgeml: ")).toList();
        assertTrue(lines.contains("edgeml: 2 classes (images per class): cat 1, dog 12"), lines.toString());
        String warning = lines.stream().filter(l -> l.startsWith("edgeml: warning: too few images")).findFirst().orElseThrow();
        assertTrue(warning.contains("cat 1") && !warning.contains("dog") && warning.contains("at least 10"), warning);
    }

    @Test
    void folderDatasetNeedsTwoClassesWithImages() throws IOException {
        writeFolder("only", 3, Color.WHITE, 10, 10);
        assertTrue(assertThrows(EdgemlException.class, () -> Datasets.load(new DatasetSpec("folder", tmp, 1), QUIET))
                .getMessage().contains("at least 2"));
        Files.createDirectories(tmp.resolve("empty"));
        assertTrue(assertThrows(EdgemlException.class, () -> Datasets.load(new DatasetSpec("folder", tmp, 1), QUIET))
                .getMessage().contains("no PNG or JPEG"));
    }

    @Test
    void splitIsSeededAndDisjoint() {
        byte[] pixels = new byte[100];
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            pixels[i] = (byte) i;
            labels[i] = i;
        }
        LabeledImages all = new LabeledImages(1, 1, pixels, labels);
        Split a = Split.of(all, 0.1, 5);
        Split b = Split.of(all, 0.1, 5);
        Split c = Split.of(all, 0.1, 6);
        assertEquals(10, a.validation().count());
        assertEquals(90, a.train().count());
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertNotEquals(List.of(a.validation().labels()), List.of(c.validation().labels()));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int l : a.train().labels()) {
            seen.add(l);
        }
        for (int l : a.validation().labels()) {
            assertTrue(seen.add(l), "validation image " + l + " is also in training");
        }
        assertEquals(100, seen.size());
    }

    private void writeFolder(String name, int count, Color color, int w, int h) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(w + i, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(color);
            g.fillRect(0, 0, w + i, h);
            g.dispose();
            ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", dir.resolve(name + i + (i % 2 == 0 ? ".png" : ".jpg")).toFile());
        }
    }
}
