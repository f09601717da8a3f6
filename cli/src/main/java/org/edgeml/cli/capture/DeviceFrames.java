package org.edgeml.cli.capture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.host.mqtt.MqttSubscription;
import org.edgeml.mqtt.Broker;
import org.edgeml.runtime.command.PngFrames;
import org.edgeml.runtime.mqtt.Topics;

/**
 * Frames from a running device: sends it the capture command (docs/mqtt.md, "Commands") with an id of this
 * capture, and takes the PNGs it publishes on {@code PREFIX/DEVICE/capture/LABEL} that carry that id. A reply
 * on the device's error topic naming the capture command ends the capture with the device's words.
 */
final class DeviceFrames implements CapturedFrames {
    private record Message(String topic, byte[] payload) {}

    private static final Message CLOSED = new Message("", new byte[0]);

    private final Topics topics;
    private final String id = HexFormat.of().formatHex(randomBytes());
    private final Duration timeout;
    private final String description;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final MqttSubscription subscription;
    private final CaptureJob.Request request;
    private long ignored;
    private String endReason = "";

    /** Connects, subscribes and sends the command. */
    DeviceFrames(Broker broker, String prefix, String device, Duration timeout, CaptureJob.Request request) {
        this.topics = new Topics(prefix, device);
        this.timeout = timeout;
        this.request = request;
        this.description = "device " + device + " on " + broker.url();
        this.subscription = MqttSubscription.ofBytes(broker, (topic, payload) -> messages.add(new Message(topic, payload)),
                topics.capture(request.label()), topics.error());
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", "capture");
        command.put("label", request.label());
        command.put("count", request.count());
        command.put("every_ms", request.everyMs());
        command.put("size", request.size());
        command.put("id", id);
        subscription.publish(topics.set(), Json.write(command).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] next() throws InterruptedException {
        while (true) {
            Message m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                endReason = description + " sent no frame for " + timeout.toSeconds() + " s (is it running, with"
                        + " commands on? 'edgeml watch' shows its state; a longer --timeout waits more)";
                return null;
            }
            if (m == CLOSED) {
                endReason = "stopped";
                return null;
            }
            if (m.topic().equals(topics.error())) {
                refusal(m.payload());
                continue;
            }
            String metadata = PngFrames.metadata(m.payload()).orElse("");
            Map<String, Object> meta;
            try {
                meta = Json.parseObject(metadata);
            } catch (IllegalArgumentException e) {
                ignored++;
                continue;
            }
            if (id.equals(meta.get("id"))) {
                return m.payload();
            }
            ignored++; // another capture's frame
        }
    }

    /** A refusal of a capture command is this capture's; other errors (another sender's commands) are not. */
    private void refusal(byte[] payload) {
        Map<String, Object> reply;
        try {
            reply = Json.parseObject(new String(payload, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return;
        }
        if ("capture".equals(reply.get("command"))) {
            throw new EdgemlException(description + " refused the capture: " + reply.get("error"));
        }
    }

    /** Frames on the capture topic that were not this capture's (another capture's, or not edgeml PNGs). */
    long ignored() {
        return ignored;
    }

    @Override
    public String endReason() {
        return endReason;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        messages.add(CLOSED);
        subscription.close();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
