package org.edgeml.deploy.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;

class PreflightTest {
    private static Map<String, String> pi() {
        return new HashMap<>(Map.of("arch", "aarch64", "user", "pi", "root", "no", "sudo", "yes",
                "systemd", "yes", "writable", "no", "free_kb", "5000000", "java", "/usr/bin/java", "java_major", "17"));
    }

    private static String problem(Map<String, String> v, ServiceMode mode) {
        return assertThrows(EdgemlException.class, () -> Preflight.parse(v).requireReady("/opt/edgeml", mode, 1 << 20, false)).getMessage();
    }

    @Test
    void aRaspberryPiWithJavaAndSudoIsReady() {
        Preflight p = Preflight.parse(pi());
        assertEquals(ServiceMode.SYSTEMD, p.chooseMode(null));
        assertTrue(p.needsRoot(ServiceMode.SYSTEMD));
        assertEquals(List.of(), p.warnings());
        p.requireReady("/opt/edgeml", ServiceMode.SYSTEMD, 1 << 20, false);
    }

    @Test
    void withoutSystemdTheSupervisorRuns() {
        Map<String, String> v = pi();
        v.put("systemd", "no");
        v.put("writable", "yes");
        Preflight p = Preflight.parse(v);
        assertEquals(ServiceMode.SUPERVISOR, p.chooseMode(null));
        assertFalse(p.needsRoot(ServiceMode.SUPERVISOR));
        assertTrue(assertThrows(EdgemlException.class, () -> p.chooseMode(ServiceMode.SYSTEMD)).getMessage().contains("systemd is not running"));
    }

    private static String problemWith(String key, String value) {
        Map<String, String> v = pi();
        v.put(key, value);
        return problem(v, ServiceMode.SYSTEMD);
    }

    @Test
    void eachMissingPieceIsNamedWithItsFix() {
        assertTrue(problemWith("java", "none").contains("--install-java"));
        assertTrue(problemWith("java_major", "11").startsWith("Java 11 on the device"));
        assertTrue(problemWith("rpicam", "no").contains("rpicam-apps"));
        assertTrue(problemWith("free_kb", "100").startsWith("only 0 MB free"));
        assertTrue(problemWith("sudo", "no").contains("NOPASSWD"));
        Map<String, String> v = pi();
        v.put("arch", "x86_64");
        assertEquals(1, Preflight.parse(v).warnings().size());
    }
}
