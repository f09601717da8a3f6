package org.edgeml.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgeml.host.mqtt.MqttSubscription;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.RuntimeMain;

/**
 * The last step of the demo: the device runtime replays test images in a thread of this JVM and publishes
 * to the broker, while an independent subscriber (as {@code edgeml watch}) shows what arrives.
 */
final class DemoReplay {
    static final String DEVICE = "demo-pi";

    private final String broker;
    private final Path model;
    private final Path dataset;
    private final int count;
    private final double fps;

    DemoReplay(String broker, Path model, Path dataset, int count, double fps) {
        this.broker = broker;
        this.model = model;
        this.dataset = dataset;
        this.count = count;
        this.fps = fps;
    }

    /** Returns true when every prediction arrived. */
    boolean run(PrintStream out, double expectedAccuracy) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        DeviceTable table = new DeviceTable(count, done);
        AtomicInteger exitCode = new AtomicInteger(-1);
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        String prefix = "edgeml/" + DEVICE + "/";
        try (MqttSubscription ignored = new MqttSubscription(Broker.plain(broker),
                table::accept, prefix + "prediction", prefix + "status")) {
            Thread device = new Thread(() -> exitCode.set(RuntimeMain.run(new String[] {
                "--model", model.toString(), "--source", "idx:" + dataset, "--broker", broker, "--device", DEVICE,
                "--count", Integer.toString(count), "--fps", Double.toString(fps)},
                    new PrintStream(OutputStream.nullOutputStream()), System.err)), "demo-device");
            device.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + (fps > 0 ? (long) (count / fps) : 0));
            while (!done.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline && device.isAlive()) {
                if (interactive) {
                    table.print(out, true);
                }
            }
            device.join(TimeUnit.SECONDS.toMillis(30));
            done.await(5, TimeUnit.SECONDS); // the last messages may still be on their way
            table.print(out, false);
        }
        long received = table.predictions();
        out.printf(Locale.ROOT, "   received %d of %d predictions; on-device accuracy %s (the check computed %.1f%%"
                + " on these images)%n", received, count, table.accuracy(DEVICE), 100 * expectedAccuracy);
        return received == count && exitCode.get() == 0;
    }
}
