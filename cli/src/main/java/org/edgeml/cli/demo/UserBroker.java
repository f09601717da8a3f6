package org.edgeml.cli.demo;

/** A broker the user runs and named with {@code --broker}; the demo neither starts nor stops it. */
record UserBroker(String url) implements DemoBroker {
    UserBroker {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("broker url is empty");
        }
    }

    @Override
    public String description() {
        return "broker at " + url;
    }

    @Override
    public void close() {}
}
