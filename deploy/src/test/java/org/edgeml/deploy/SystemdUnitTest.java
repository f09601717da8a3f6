package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path tmp;

    @Test
    void theUnitPassesSystemdAnalyzeVerifyWithoutAWarning() throws Exception {
        boolean present = Files.isExecutable(ANALYZE);
        if (!present && Boolean.getBoolean("edgeml.requireServices")) {
            fail("systemd-analyze is missing: install systemd");
        }
        Assumptions.assumeTrue(present, "systemd-analyze not installed");
        Files.createDirectories(tmp.resolve("state"));
        Path unit = tmp.resolve(SystemdUnit.NAME);
        Files.writeString(unit, SystemdUnit.render(tmp.toString(), "/usr/bin/java"));

        Process p = new ProcessBuilder(ANALYZE.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("", output.strip(), "no warnings (an unknown key is only a warning)");
    }

    @Test
    void theUnitRunsTheCurrentReleaseAsTheServiceUserAndRestartsOnFailure() {
        String unit = SystemdUnit.render("/opt/edgeml", "/usr/bin/java");
        assertTrue(unit.contains("\nExecStart=/usr/bin/java @/opt/edgeml/current/jvm.args -jar /opt/edgeml/current/edge-runtime.jar"
                + " --config /opt/edgeml/current/edgeml.conf\n"), unit);
        for (String line : new String[] {"User=edgeml", "Restart=on-failure", "RestartSec=5", "NoNewPrivileges=yes",
            "ProtectSystem=strict", "ReadWritePaths=/opt/edgeml/state", "ProtectHome=yes", "PrivateTmp=yes"}) {
            assertTrue(unit.contains("\n" + line + "\n"), line);
        }
    }
}
