package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.io.Sha256;
import org.edgeml.deploy.ssh.OpenSshShell;
import org.edgeml.deploy.ssh.RemoteResult;
import org.edgeml.deploy.ssh.SshOptions;
import org.edgeml.deploy.ssh.SshTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OpenSSH shell against a real sshd: arguments arrive intact, uploads are checked, failures are explained. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenSshShellTest {
    @TempDir
    Path tmp;

    private SshLab lab;
    private Sshd sshd;
    private OpenSshShell shell;

    @BeforeEach
    void setUp() throws Exception {
        Sshd.assumeAvailable();
        lab = new SshLab(Files.createDirectories(tmp.resolve("ssh")));
        sshd = lab.sshd(lab.newHostKey("host"), Sshd.freePort());
        lab.trust(sshd.port());
        shell = new OpenSshShell(SshTarget.parse(lab.host(sshd.port())), lab.options(false));
    }

    @AfterEach
    void tearDown() {
        if (shell != null) {
            shell.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void argumentsReachTheScriptUnchanged() {
        List<String> args = List.of("it's", "$(echo no)", "two  spaces", "");
        RemoteResult r = shell.run("for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n", args, false, Duration.ofSeconds(30));
        assertEquals(0, r.status(), r.stderr());
        assertEquals("[it's]\n[$(echo no)]\n[two  spaces]\n[]\n", r.stdout());
    }

    @Test
    void uploadsAreCheckedOnTheDevice() throws Exception {
        Path file = tmp.resolve("data.bin");
        Files.write(file, new byte[300_000]);
        Path remote = tmp.resolve("remote.bin");
        shell.upload(file, remote.toString(), "0640", Sha256.hex(file), Duration.ofSeconds(30));
        assertEquals(Sha256.hex(file), Sha256.hex(remote));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)));

        EdgemlException e = assertThrows(EdgemlException.class,
                () -> shell.upload(file, remote.toString(), "0640", "0".repeat(64), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("failed or its SHA-256 differs"), e.getMessage());
    }

    @Test
    void aStuckCommandIsCutAtItsTimeLimit() {
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> shell.run("sleep 10\n", List.of(), false, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("ssh did not finish within 2 s"), e.getMessage());
    }

    @Test
    void aKeyTheDeviceDoesNotAcceptIsExplained() throws Exception {
        Path stranger = tmp.resolve("stranger");
        Sshd.keygen(stranger);
        Path config = tmp.resolve("no-identity-config");
        Files.writeString(config, "Host *\n  IdentitiesOnly yes\n  IdentityAgent none\n  GlobalKnownHostsFile /dev/null\n");
        try (OpenSshShell refused = new OpenSshShell(SshTarget.parse(lab.host(sshd.port())),
                new SshOptions(stranger, lab.knownHosts, false, config, 10))) {
            EdgemlException e = assertThrows(EdgemlException.class, () -> refused.run("true\n", List.of(), false, Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("login refused"), e.getMessage());
            assertTrue(e.getMessage().contains("--identity"), e.getMessage());
        }
    }
}
