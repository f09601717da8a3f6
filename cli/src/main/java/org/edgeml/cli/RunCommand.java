package org.edgeml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.edgeml.runtime.RuntimeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code edgeml run ...}: the device runtime, in this JVM, with exactly the options and messages of
 * {@code java -jar edge-runtime.jar}: the arguments go as they are to the runtime's parser ({@code RunOptions}).
 */
@Command(name = "run", header = "Run an int8 model on camera frames, images or a dataset and publish predictions over MQTT.", description = {"Run an int8 model on a frame source (rpicam, dir:PATH, idx:PATH) and publish predictions over MQTT,"
            + " as the device does. 'edgeml run --help' lists the options."})
public final class RunCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return RuntimeMain.run(args.toArray(new String[0]), System.out, System.err);
    }
}
