package org.edgeml.deploy;

import java.io.PrintStream;
import org.edgeml.deploy.ssh.OpenSshShell;
import org.edgeml.host.io.ProgressBar;

/** A progress bar on stderr for each large upload of a single-host deploy (a fleet's hosts print lines instead). */
final class UploadProgress implements OpenSshShell.TransferObserver {
    private static final long SHOWN_FROM_BYTES = 256 * 1024;

    private final PrintStream out;
    private String path;
    private ProgressBar bar;

    UploadProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void sent(Process ssh, String remotePath, long bytes, long total) {
        if (total < SHOWN_FROM_BYTES) {
            return;
        }
        if (!remotePath.equals(path)) {
            path = remotePath;
            bar = new ProgressBar(out, "upload " + remotePath.substring(remotePath.lastIndexOf('/') + 1), total);
        }
        bar.update(bytes, Deployer.humanBytes(bytes));
        if (bytes >= total) {
            bar.finish();
        }
    }
}
