package org.edgeml.runtime.mqtt;

import java.time.Duration;
import java.time.Instant;

/** A separate JVM that connects a PahoLink and waits to be killed: {@code LinkChild URL DEVICE}. */
public final class LinkChild {
    public static void main(String[] args) throws Exception {
        MqttSettings settings = MqttSettings.plain(args[0], "child-" + args[1]);
        PahoLink link = new PahoLink(settings, new Topics("edgeml", args[1]),
                new DeviceIdentity(args[1], "m1", "0.0.1", "boot-child", Instant.now()), StatusCounters::none);
        link.start();
        if (!link.awaitConnected(Duration.ofSeconds(20))) {
            System.out.println("failed " + link.lastError());
            System.exit(1);
        }
        System.out.println("connected");
        System.out.flush();
        Thread.sleep(60_000);
        System.exit(2);
    }
}
