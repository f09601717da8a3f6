package org.edgeml.deploy;

import java.nio.file.Path;
import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.ssh.OpenSshShell;
import org.edgeml.deploy.ssh.RemoteShell;
import org.edgeml.deploy.ssh.SshOptions;
import org.edgeml.deploy.ssh.SshTarget;
import picocli.CommandLine.Option;

/** The SSH options every device command shares, and the installation prefix on the device. */
public final class SshMixin {
    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "Private key file (ssh -i); default: ssh-agent and ~/.ssh keys.")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Check host keys against FILE instead of ~/.ssh/known_hosts.")
    Path knownHosts;

    @Option(names = "--accept-new", description = "Trust and remember a host key seen for the first time (StrictHostKeyChecking=accept-new); a changed key is still refused.")
    boolean acceptNew;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "ssh client config instead of ~/.ssh/config (ssh -F).")
    Path sshConfig;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "SSH connect timeout (default ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--prefix", paramLabel = "DIR", defaultValue = Device.DEFAULT_PREFIX, description = "Installation directory on the device (default ${DEFAULT-VALUE}).")
    String prefix;

    public SshOptions options() {
        if (connectTimeout < 1 || connectTimeout > 600) {
            throw new org.edgeml.core.EdgemlException("--connect-timeout " + connectTimeout + " is out of range; use 1 to 600 seconds");
        }
        return new SshOptions(identity, knownHosts, acceptNew, sshConfig, connectTimeout);
    }

    public RemoteShell shell(SshTarget target) {
        return new OpenSshShell(target, options());
    }

    public Device device(SshTarget target) {
        return new Device(shell(target), prefix);
    }
}
