package org.edgeml.cli;

import picocli.CommandLine;

/** What {@code --version} prints, on every command: core's {@link org.edgeml.core.Version}. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"edgeml " + org.edgeml.core.Version.current()};
    }
}
