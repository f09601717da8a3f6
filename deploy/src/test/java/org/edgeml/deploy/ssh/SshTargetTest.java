package org.edgeml.deploy.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;

class SshTargetTest {
    @Test
    void parsesUserHostAndPort() {
        assertEquals(new SshTarget("pi", "shelf-a1.local", 2222), SshTarget.parse("pi@shelf-a1.local:2222"));
        assertEquals(new SshTarget(null, "kitchen", 0), SshTarget.parse("kitchen"));
        assertEquals(new SshTarget("root", "fe80::1", 22), SshTarget.parse("root@[fe80::1]:22"));
        assertEquals("root@[fe80::1]:22", SshTarget.parse("root@[fe80::1]:22").toString());
        assertEquals("pi@10.0.0.7", SshTarget.parse("pi@10.0.0.7").destination());
    }

    @Test
    void refusesWhatSshWouldTakeAsAnOption() {
        for (String bad : List.of("", "-oProxyCommand=x", "pi@", "pi@host:0", "pi@host:99999", "a b", "pi@host:port")) {
            EdgemlException e = assertThrows(EdgemlException.class, () -> SshTarget.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("host: "), e.getMessage());
        }
    }

    @Test
    void defaultDeviceIdIsTheShortHostName() {
        assertEquals("shelf-a1", SshTarget.parse("pi@shelf-a1.local").defaultDeviceId());
        assertEquals("10-0-0-7", SshTarget.parse("pi@10.0.0.7").defaultDeviceId());
    }

    @Test
    void quotesEveryWordForTheRemoteShell() {
        assertEquals("sh -s -- /opt/edgeml 'it'\\''s here' ''", ShellQuote.join(List.of("sh", "-s", "--", "/opt/edgeml", "it's here", "")));
        assertEquals("'$(reboot)'", ShellQuote.quote("$(reboot)"));
    }

    @Test
    void sshIsAlwaysStrictAndNeverPrompts() {
        OpenSshShell shell = new OpenSshShell(SshTarget.parse("pi@kitchen:2200"),
                new SshOptions(java.nio.file.Path.of("id"), java.nio.file.Path.of("/tmp/kh"), false, null, 7));
        try {
            List<String> cmd = shell.sshCommand("true");
            String joined = String.join(" ", cmd);
            assertTrue(joined.contains("-o BatchMode=yes"), joined);
            assertTrue(joined.contains("-o StrictHostKeyChecking=yes"), joined);
            assertTrue(joined.contains("-o ConnectTimeout=7"), joined);
            assertTrue(joined.contains("-o UserKnownHostsFile=\"/tmp/kh\""), joined);
            assertTrue(joined.contains("-i id"), joined);
            assertTrue(joined.endsWith("-p 2200 -- pi@kitchen true"), joined);
        } finally {
            shell.close();
        }
        OpenSshShell accepting = new OpenSshShell(SshTarget.parse("kitchen"), new SshOptions(null, null, true, null, 10));
        try {
            assertTrue(accepting.sshCommand("true").contains("StrictHostKeyChecking=accept-new"));
        } finally {
            accepting.close();
        }
    }
}
