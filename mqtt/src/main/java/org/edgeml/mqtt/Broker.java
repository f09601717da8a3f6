package org.edgeml.mqtt;

import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * How to reach and log in to a broker, the one way the runtime, {@code watch}, the demo and deploy's
 * verifier all connect: user name, password file, and TLS for {@code ssl://} and {@code wss://} URLs.
 * Optional values are {@code null}.
 */
public record Broker(String url, String username, Path passwordFile, Path cafile, Path cert, Path key) {
    public static Broker plain(String url) {
        return new Broker(url, null, null, null, null, null);
    }

    public boolean usesTls() {
        return url.startsWith("ssl://") || url.startsWith("wss://");
    }

    /** Sets the login and, for TLS URLs, the socket factory and host name check on {@code options}. */
    public MqttConnectOptions applyTo(MqttConnectOptions options) {
        if (username != null) {
            options.setUserName(username);
        }
        if (passwordFile != null) {
            options.setPassword(PasswordFile.read(passwordFile));
        }
        if (usesTls()) {
            options.setSocketFactory(PemTls.socketFactory(cafile, cert, key));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        return options;
    }
}
