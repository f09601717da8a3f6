package org.edgeml.runtime.source;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;

/**
 * Frames from image files dropped into a folder ({@code dir:PATH}): each new or replaced {@code .png},
 * {@code .jpg} or {@code .jpeg} is decoded once its size has stayed the same for {@code settle} (so a
 * file still being copied is not read half-written; writers that rename a finished file into place are
 * picked up at once after the settle time). Hidden files ({@code .name}, the usual temporary names) are
 * ignored. Files that were there before the source started are not classified. An unreadable file is
 * logged and skipped. When the watch overflows (a burst of files faster than events are taken), the events
 * are lost: the folder is rescanned for images changed since the last poll before it, and the overflow is
 * counted in {@link #watchOverflows()}. Files become grey frames ({@link ImageDecoder}), or RGB frames for a colour
 * model ({@link #colour}).
 */
public final class DirSource implements FrameSource {
    private static final System.Logger LOG = System.getLogger(DirSource.class.getName());
    private static final long POLL_MILLIS = 50;

    private record Pending(long size, long sinceNanos) {}

    /** Decodes one file into the frame numbered {@code seq}. */
    private interface FrameReader {
        Frame read(Path file, long seq);
    }

    private final Path dir;
    private final FrameReader reader;
    private final long settleNanos;
    private final WatchService watcher;
    private final Map<Path, Pending> pending = new LinkedHashMap<>();
    private volatile boolean closed;
    private long seq;
    private long skipped;
    private volatile long watchOverflows;
    private long lastPollMillis = System.currentTimeMillis();

    public DirSource(Path dir, ImageDecoder decoder, Duration settle) {
        this(greyFrames(decoder), dir, settle);
    }

    public DirSource(Path dir, ImageDecoder decoder) {
        this(dir, decoder, Duration.ofMillis(300));
    }

    /** A source of RGB frames, for a colour model. */
    public static DirSource colour(Path dir, ColourImageDecoder decoder, Duration settle) {
        return new DirSource(colourFrames(decoder), dir, settle);
    }

    /** {@link #colour(Path, ColourImageDecoder, Duration)} with the default settle time. */
    public static DirSource colour(Path dir, ColourImageDecoder decoder) {
        return colour(dir, decoder, Duration.ofMillis(300));
    }

    private static FrameReader greyFrames(ImageDecoder decoder) {
        return (file, seq) -> {
            org.edgeml.core.image.GrayImage gray = decoder.decode(file);
            return new Frame(gray.pixels(), 0, gray.width(), gray.height(), gray.width(), seq,
                    file.getFileName().toString(), Frame.NO_LABEL, System.nanoTime());
        };
    }

    private static FrameReader colourFrames(ColourImageDecoder decoder) {
        return (file, seq) -> {
            org.edgeml.core.image.RgbImage rgb = decoder.decode(file);
            return new Frame(rgb.pixels(), 0, rgb.width(), rgb.height(), 3 * rgb.width(), seq,
                    file.getFileName().toString(), Frame.NO_LABEL, System.nanoTime(), Frame.Format.RGB);
        };
    }

    private DirSource(FrameReader reader, Path dir, Duration settle) {
        if (!Files.isDirectory(dir)) {
            throw new EdgemlException("source: " + dir + " is not a folder; give dir:FOLDER");
        }
        this.dir = dir;
        this.reader = reader;
        this.settleNanos = settle.toNanos();
        try {
            this.watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new EdgemlException("source: cannot watch " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Frame next() throws InterruptedException {
        while (!closed) {
            Frame frame = nextSettled();
            if (frame != null) {
                return frame;
            }
            WatchKey key;
            long pollMillis = System.currentTimeMillis();
            try {
                key = watcher.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ClosedWatchServiceException e) {
                return null;
            }
            if (key != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        watchOverflows++;
                        LOG.log(Level.WARNING, "the watch of " + dir + " overflowed (" + watchOverflows
                                + " times so far); rescanning it");
                        rescanSince(lastPollMillis);
                    }
                    if (event.context() instanceof Path name && isImage(name)) {
                        pending.remove(dir.resolve(name));
                        pending.put(dir.resolve(name), new Pending(-1, System.nanoTime()));
                    }
                }
                key.reset();
            }
            lastPollMillis = pollMillis;
        }
        return null;
    }

    /** Queues the images modified since {@code sinceMillis} (minus a second for coarse file times). */
    private void rescanSince(long sinceMillis) {
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isImage(file) && !pending.containsKey(file)
                        && Files.getLastModifiedTime(file).toMillis() >= sinceMillis - 1000) {
                    pending.put(file, new Pending(-1, System.nanoTime()));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot rescan " + dir + " after the overflow: " + e.getMessage());
        }
    }

    /** Decodes the first pending file whose size has settled, if any. */
    private Frame nextSettled() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Pending> e = it.next();
            long size;
            try {
                size = Files.size(e.getKey());
            } catch (NoSuchFileException gone) {
                it.remove();
                continue;
            } catch (IOException ex) {
                size = -1;
            }
            if (size != e.getValue().size() || size <= 0) {
                e.setValue(new Pending(size, now));
            } else if (now - e.getValue().sinceNanos() >= settleNanos) {
                it.remove();
                Frame frame = decode(e.getKey());
                if (frame != null) {
                    return frame;
                }
            }
        }
        return null;
    }

    private Frame decode(Path file) {
        try {
            Frame frame = reader.read(file, seq);
            seq++;
            return frame;
        } catch (RuntimeException e) {
            skipped++;
            String why = String.valueOf(e.getMessage());
            LOG.log(Level.WARNING, "skipped " + (why.contains(file.toString()) ? why : file + ": " + why));
            return null;
        }
    }

    static boolean isImage(Path name) {
        String n = name.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    @Override
    public String describe() {
        return "dir:" + dir;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public long watchOverflows() {
        return watchOverflows;
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch service: " + e.getMessage());
        }
    }
}
