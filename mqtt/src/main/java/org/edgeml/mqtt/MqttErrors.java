package org.edgeml.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;

/** Paho's failures in the words of edgeml's options. */
public final class MqttErrors {
    private MqttErrors() {}

    /** A one-line reason a user can act on. */
    public static String describe(Throwable e) {
        if (e instanceof MqttException m) {
            switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                    return "bad user name or password (check --username and --password-file)";
                case MqttException.REASON_CODE_NOT_AUTHORIZED:
                    return "not authorized (check --username, --password-file and the broker's ACL)";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                    return "the broker refused client id (set --client-id)";
                default:
                    break;
            }
        }
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed: " + t.getMessage() + " (check --cafile, --cert/--key and the broker's certificate)";
            }
            root = t;
        }
        String msg = e.getMessage();
        return root == e || root.getMessage() == null ? msg : msg + ": " + root.getMessage();
    }
}
