package org.edgeml.runtime.config;

/** Which classified frames become MQTT messages. */
public enum PublishMode {
    /** One message per classified frame. */
    EVERY,
    /** A message only when the predicted class differs from the previous frame's. */
    CHANGE
}
