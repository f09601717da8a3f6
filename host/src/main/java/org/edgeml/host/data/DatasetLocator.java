package org.edgeml.host.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgeml.core.EdgemlException;

/**
 * Finds the files of a named dataset, in this order: the {@code --data} directory, {@code $EDGEML_DATA}
 * (itself or its {@code <name>} sub-folder), the user cache ({@code $XDG_CACHE_HOME/edgeml/<name>},
 * by default {@code ~/.cache/edgeml/<name>}), Debian's package location, and finally a download from the
 * official mirrors into the user cache ({@code EDGEML_OFFLINE=1} skips it). When everything fails the
 * error says where it looked and how to get the data.
 */
public final class DatasetLocator {
    private final Map<String, String> env;
    private final Path home;
    private final Path systemDatasets;
    private final Downloader downloader;
    private final List<String> mirrorsOverride;

    public DatasetLocator(Map<String, String> env, Path home, Path systemDatasets, Downloader downloader,
                          List<String> mirrorsOverride) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.systemDatasets = systemDatasets;
        this.downloader = downloader;
        this.mirrorsOverride = mirrorsOverride == null ? null : List.copyOf(mirrorsOverride);
    }

    /** The locator for this machine: real environment, home directory and Debian paths. */
    public static DatasetLocator system() {
        return new DatasetLocator(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("/usr/share/datasets"), new Downloader(), null);
    }

    public Path cacheDir(KnownDataset dataset) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("edgeml").resolve(dataset.id);
    }

    /** The directory holding the dataset's four IDX files. */
    public Path locate(KnownDataset dataset, Path explicitDir, PrintStream log) {
        if (explicitDir != null) {
            if (IdxFiles.in(explicitDir).isPresent()) {
                return explicitDir;
            }
            throw new EdgemlException(dataset.id + " is not in --data " + explicitDir + ": missing "
                    + String.join(", ", IdxFiles.missing(explicitDir)) + " (point --data at the directory holding the four IDX files)");
        }
        List<String> looked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        String envDir = env.get("EDGEML_DATA");
        if (envDir != null && !envDir.isBlank()) {
            candidates.add(Path.of(envDir).resolve(dataset.id));
            candidates.add(Path.of(envDir));
        } else {
            looked.add("$EDGEML_DATA (unset)");
        }
        candidates.add(cacheDir(dataset));
        candidates.add(systemDatasets.resolve(dataset.id));
        for (Path dir : candidates) {
            if (IdxFiles.in(dir).isPresent()) {
                return dir;
            }
            looked.add(dir.toString());
        }
        String downloadProblem = download(dataset, log);
        if (downloadProblem == null) {
            return cacheDir(dataset);
        }
        throw new EdgemlException(dataset.id + " not found (looked in " + String.join(", ", looked) + ") and "
                + downloadProblem + ": " + howToGet(dataset));
    }

    private String download(KnownDataset dataset, PrintStream log) {
        if ("1".equals(env.get("EDGEML_OFFLINE"))) {
            return "downloads are off (EDGEML_OFFLINE=1)";
        }
        Path dir = cacheDir(dataset);
        List<String> mirrors = mirrorsOverride != null ? mirrorsOverride : dataset.mirrors;
        log.println("edgeml: " + dataset.id + " not found locally; downloading into " + dir);
        try {
            downloader.fetch(dataset, mirrors, dir, log);
            return IdxFiles.in(dir).isPresent() ? null : "the download left an incomplete " + dir;
        } catch (IOException e) {
            return "could not be downloaded (" + e.getMessage() + ")";
        }
    }

    private String howToGet(KnownDataset dataset) {
        Optional<String> pkg = Optional.ofNullable(dataset.debianPackage);
        return pkg.map(p -> "install it with 'sudo apt install " + p + "', or ").orElse("")
                + "download the four .gz files from " + dataset.mirrors.get(0) + " into " + cacheDir(dataset)
                + ", or pass --data DIR";
    }
}
