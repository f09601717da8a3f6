package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.RunConfigParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void buildsTheConfiguredSourceWithItsRateLimitAndTrigger() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.q8"), "x");
        Files.createFile(tmp.resolve("t10k-images-idx3-ubyte"));
        Files.createFile(tmp.resolve("t10k-labels-idx1-ubyte"));
        IdxSource.Loader loader = (images, labels) -> new LabeledImages(1, 1, new byte[] {5}, new int[] {3});
        RunConfig config = RunConfigParser.parse("--model", model.toString(), "--source", "idx:" + tmp, "--fps", "1000",
                "--button", "5", "--trigger", "button");
        long[] presses = {0};
        try (FrameSource source = FrameSources.open(config, DirSourceTest::decode, loader,
                () -> presses[0]++ == 0 ? System.nanoTime() - 1_000_000_000 : -1)) {
            assertInstanceOf(TriggeredSource.class, source);
            assertEquals("idx:" + tmp + " on button", source.describe());
            Frame f = source.next();
            assertEquals(3, f.label());
            assertNull(source.next());
        }
    }
}
