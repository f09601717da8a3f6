package org.edgeml.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.host.io.TempDirs;
import org.edgeml.host.mqtt.Mosquitto;

/** The machine's mosquitto, anonymous and in memory, with its config and log in a temp folder deleted on close. */
final class MosquittoForDemo implements DemoBroker {
    private final Mosquitto mosquitto;
    private final Path dir;
    private final String version;

    private MosquittoForDemo(Mosquitto mosquitto, Path dir, String version) {
        this.mosquitto = mosquitto;
        this.dir = dir;
        this.version = version;
    }

    static MosquittoForDemo start(Path binary) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("edgeml-mosquitto");
        try {
            Mosquitto mosquitto = Mosquitto.start(binary, dir, Mosquitto.ANONYMOUS, false);
            try {
                return new MosquittoForDemo(mosquitto, dir, mosquitto.version());
            } catch (InterruptedException | RuntimeException e) {
                mosquitto.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            TempDirs.deleteQuietly(dir);
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public String url() {
        return mosquitto.url();
    }

    @Override
    public String description() {
        return "mosquitto " + version + " on port " + mosquitto.port();
    }

    @Override
    public void close() {
        mosquitto.close();
        TempDirs.deleteQuietly(dir);
    }
}
