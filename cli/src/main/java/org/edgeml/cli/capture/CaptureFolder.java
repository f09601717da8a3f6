package org.edgeml.cli.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.AtomicFiles;
import org.edgeml.runtime.command.DeviceCommand;

/**
 * One class of a folder dataset, {@code DIR/LABEL/}, that captured frames are added to as {@code NNNN.png}:
 * numbering goes on after the highest number there, and an existing file is never overwritten. Each file is
 * written atomically, so an interrupted capture leaves whole images only.
 */
final class CaptureFolder {
    private static final Pattern NUMBERED = Pattern.compile("(\\d+)\\.png");

    private final Path dir;
    private int next;
    private int saved;
    private Path first;
    private Path last;

    CaptureFolder(Path out, String label) {
        if (!DeviceCommand.LABEL.matcher(label).matches()) {
            throw new EdgemlException("--label '" + label + "' must be 1-64 letters, digits, '-' or '_' (it names the"
                    + " class folder and an MQTT topic level)");
        }
        this.dir = out.resolve(label);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EdgemlException("--out " + out + ": cannot create " + dir + " (" + e.getMessage() + ")", e);
        }
        this.next = highestNumber(dir) + 1;
    }

    private static int highestNumber(Path dir) {
        int highest = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = NUMBERED.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).length() <= 9) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new EdgemlException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        return highest;
    }

    /** Writes {@code png} as the next free {@code NNNN.png} and returns its path. */
    Path save(byte[] png) {
        Path target;
        do {
            target = dir.resolve(String.format(Locale.ROOT, "%04d.png", next++));
        } while (Files.exists(target));
        try {
            AtomicFiles.write(target, png);
        } catch (IOException e) {
            throw new EdgemlException(target + ": cannot write (" + e.getMessage() + "); check the disk and --out", e);
        }
        saved++;
        if (first == null) {
            first = target;
        }
        last = target;
        return target;
    }

    Path dir() {
        return dir;
    }

    int saved() {
        return saved;
    }

    /** The first file this capture wrote, or {@code null}. */
    Path first() {
        return first;
    }

    Path last() {
        return last;
    }
}
