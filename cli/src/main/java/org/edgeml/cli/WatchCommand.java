package org.edgeml.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.mqtt.MqttSubscription;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.config.BrokerLogin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeml watch}: what the devices are predicting, live. */
@Command(name = "watch", header = "Show devices' predictions and status live.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Subscribe to devices' predictions and status and show a live table per device "
            + "(last label, confidence, latency, messages per second, online state).")
public final class WatchCommand implements Callable<Integer> {

    @Option(names = "--broker", paramLabel = "URL", defaultValue = "tcp://localhost:1883",
            description = "MQTT broker (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--device", paramLabel = "ID", defaultValue = "+", description = "A device id, or + for all (default).")
    String device;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "edgeml",
            description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--json", description = "Print each message as one JSON line instead of the table.")
    boolean json;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Exit after N predictions (default 0: until interrupted).")
    long count;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "With --count: fail (exit 1) when fewer arrive within SECONDS (default 0: wait forever).")
    double timeout;

    @Option(names = "--http", paramLabel = "PORT",
            description = "Also serve a live page of every device on this port (0: any free port), with a snapshot button.")
    Integer httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the page listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for the network).")
    String httpBind;

    @Mixin
    BrokerLogin login = new BrokerLogin();

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0 || timeout < 0) {
            throw new EdgemlException("--count and --timeout must not be negative");
        }
        if (!device.equals("+") && !device.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new EdgemlException("--device '" + device + "' must be a device id (letters, digits, - or _) or +");
        }
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            throw new EdgemlException("--http " + httpPort + " is not a port: use 1 to 65535, or 0 for any free port");
        }
        PrintStream out = System.out;
        CountDownLatch done = new CountDownLatch(1);
        DeviceTable table = new DeviceTable(count, done);
        Broker b = new Broker(broker, login.username(), login.passwordFile(), login.cafile(), login.cert(), login.key());
        String predictions = prefix + "/" + device + "/prediction";
        String status = prefix + "/" + device + "/status";
        String snapshots = prefix + "/" + device + "/snapshot";
        AtomicReference<LivePage> page = new AtomicReference<>();
        AtomicReference<MqttSubscription> link = new AtomicReference<>();
        MqttSubscription.BinaryListener listener = (topic, bytes) -> {
            if (topic.endsWith("/snapshot")) {
                LivePage p = page.get();
                if (p != null) {
                    p.acceptSnapshot(deviceOf(topic), bytes);
                }
                return;
            }
            String payload = new String(bytes, StandardCharsets.UTF_8);
            boolean counted = table.accept(topic, payload);
            if (json && (counted || topic.endsWith("/status"))) {
                synchronized (out) {
                    out.println(payload.strip());
                    out.flush();
                }
            }
        };
        String[] filters = httpPort == null ? new String[] {predictions, status} : new String[] {predictions, status, snapshots};
        try (MqttSubscription subscription = MqttSubscription.ofBytes(b, listener, filters);
                LivePage live = httpPort == null ? null : new LivePage(httpAddress(), table,
                        id -> link.get().publish(prefix + "/" + id + "/set", SNAPSHOT_COMMAND))) {
            link.set(subscription);
            page.set(live);
            System.err.println("edgeml: watching " + predictions + " and " + status + " on " + broker
                    + (count > 0 ? " for " + count + " predictions" : " (Ctrl-C to stop)"));
            if (live != null) {
                System.err.println("edgeml: live page at " + live.url());
            }
            boolean interactive = !json && System.console() != null && System.getenv("CI") == null;
            long deadline = timeout > 0 ? System.nanoTime() + (long) (timeout * 1e9) : Long.MAX_VALUE;
            while (!done.await(interactive ? 500 : 2000, TimeUnit.MILLISECONDS)) {
                if (!json) {
                    table.print(out, interactive);
                }
                if (System.nanoTime() > deadline) {
                    if (!json) {
                        table.print(out, false);
                    }
                    System.err.printf(Locale.ROOT, "edgeml: error: received %d of %d predictions within %.0f s%n",
                            table.predictions(), count, timeout);
                    return EdgemlException.EXIT_GATE_FAILED;
                }
            }
            if (!json) {
                table.print(out, false);
            }
        }
        return 0;
    }

    private static final byte[] SNAPSHOT_COMMAND = "{\"command\": \"snapshot\"}".getBytes(StandardCharsets.UTF_8);

    private static String deviceOf(String topic) {
        String[] parts = topic.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    private InetSocketAddress httpAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByName(httpBind), httpPort);
        } catch (UnknownHostException e) {
            throw new EdgemlException("--http-bind " + httpBind + " is not an address of this machine; use 127.0.0.1 or 0.0.0.0");
        }
    }
}
