package org.edgeml.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.edgeml.cli.capture.CaptureJob;
import org.edgeml.cli.capture.CapturedFrames;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.command.DeviceCommand;
import org.edgeml.runtime.config.BrokerLogin;
import org.edgeml.runtime.config.SourceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeml capture}: labelled frames into a folder dataset, from a local source or a running device. */
@Command(name = "capture", header = "Record labelled frames into a folder dataset.", mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Save --count frames as OUT/LABEL/NNNN.png (numbering goes on after what is there; nothing is"
                + " overwritten), each as the runtime sees it (centre crop, --invert) at --size x --size, so"
                + " 'train --dataset folder --data OUT' reads them as they are.",
            "Frames come from --source here (with run's camera options), or from a running device over MQTT"
                + " (--broker URL --device ID): it is sent the capture command. Exit 1 when fewer than --count"
                + " frames came (the source ended, or the device went quiet for --timeout); Ctrl-C keeps what was"
                + " saved (exit 130)."})
public final class CaptureCommand implements Callable<Integer> {

    @Option(names = "--label", paramLabel = "NAME", required = true,
            description = "The class of the frames: the sub-folder of --out (letters, digits, - or _).")
    String label;

    @Option(names = "--count", paramLabel = "N", required = true, description = "Frames to save.")
    int count;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The folder dataset to add to.")
    Path out;

    @Option(names = "--every", paramLabel = "MS", defaultValue = "0",
            description = "At least MS milliseconds between two saved frames (default ${DEFAULT-VALUE}: every frame).")
    long everyMs;

    @Option(names = "--size", paramLabel = "PIXELS", defaultValue = "" + DeviceCommand.DEFAULT_SIZE,
            description = "Side of the saved square images, larger than the model's input (default ${DEFAULT-VALUE}).")
    int size;

    @Mixin
    SourceOptions frames = new SourceOptions();

    @Option(names = "--broker", paramLabel = "URL",
            description = "Capture on a running device through this MQTT broker (with --device) instead of --source.")
    String broker;

    @Option(names = "--device", paramLabel = "ID", description = "The device id to capture on (with --broker).")
    String device;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "edgeml",
            description = "The device's topic prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Mixin
    BrokerLogin login = new BrokerLogin();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --broker: give up when the device sends no frame for SECONDS (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        CaptureJob.Request request = new CaptureJob.Request(label, count, everyMs, size, out);
        CaptureJob job = new CaptureJob(request);
        CapturedFrames source = open(request);
        CaptureJob.Result result;
        try (OnInterrupt ignored = OnInterrupt.stopping(job::stop)) {
            result = job.run(source, System.err);
        }
        if (json) {
            System.out.println(Json.write(result.toJson()));
        } else {
            System.out.printf(Locale.ROOT, "saved %d of %d '%s' frames in %s%s%n", result.saved(), result.asked(), label,
                    result.dir(), result.first() == null ? "" : " (" + result.first().getFileName() + " to "
                            + result.last().getFileName() + ")");
        }
        if (result.interrupted()) {
            System.err.println("edgeml: capture interrupted; kept the " + result.saved() + " frames saved");
            return OnInterrupt.EXIT_INTERRUPTED;
        }
        if (!result.complete()) {
            System.err.println("edgeml: error: " + result.ended() + "; kept the " + result.saved() + " frames saved");
            return EdgemlException.EXIT_GATE_FAILED;
        }
        return 0;
    }

    private CapturedFrames open(CaptureJob.Request request) {
        boolean local = frames.source() != null;
        boolean remote = broker != null || device != null;
        if (local == remote) {
            throw new EdgemlException(local ? "give --source (capture here) or --broker with --device (capture on a"
                    + " running device), not both" : "nothing to capture from: give --source rpicam|dir:PATH|idx:PATH,"
                    + " or --broker URL --device ID for a running device");
        }
        if (local) {
            if (login.username() != null || login.passwordFile() != null || login.cafile() != null
                    || login.cert() != null || login.key() != null) {
                throw new EdgemlException("the MQTT login options are for --broker; a --source capture needs none");
            }
            return CaptureJob.local(frames, request);
        }
        if (broker == null || device == null) {
            throw new EdgemlException(broker == null ? "--device needs --broker URL (the broker the device uses)"
                    : "--broker needs --device ID (the device to capture on)");
        }
        frames.firstGiven().ifPresent(flag -> {
            throw new EdgemlException(flag + " is for a --source capture; a device captures with its own camera"
                    + " options and --invert");
        });
        if (!DeviceCommand.ID.matcher(device).matches()) {
            throw new EdgemlException("--device '" + device + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (timeoutSeconds < 1) {
            throw new EdgemlException("--timeout " + timeoutSeconds + " must be at least 1 second");
        }
        Broker b = new Broker(broker, login.username(), login.passwordFile(), login.cafile(), login.cert(), login.key());
        return CaptureJob.fromDevice(b, prefix, device, Duration.ofSeconds(timeoutSeconds), request);
    }
}
