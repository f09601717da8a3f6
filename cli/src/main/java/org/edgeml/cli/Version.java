package org.edgeml.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}, taken from the jar's manifest. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"edgeml " + (v == null ? "dev" : v)};
    }
}
