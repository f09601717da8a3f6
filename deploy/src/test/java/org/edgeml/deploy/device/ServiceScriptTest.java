package org.edgeml.deploy.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * service.sh run for real on this machine, as root (the way sudo runs it on a device): the supervisor and the
 * runtime it starts run as the owner of the state directory, not as root. Needs root; fails without it.
 */
class ServiceScriptTest {
    private Path base;

    @BeforeEach
    void makeWorldReadableBase() throws Exception {
        assertEquals("root", System.getProperty("user.name"), "this test runs service.sh as root, as sudo would");
        base = Files.createTempDirectory("edgeml-service-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeBase() throws Exception {
        new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
    }

    @Test
    void withSudoTheSupervisorAndTheRuntimeRunAsTheServiceUserNotRoot() throws Exception {
        Path prefix = base.resolve("edgeml");
        Path release = Files.createDirectories(prefix.resolve("releases/r1"));
        Files.writeString(release.resolve("supervisor.sh"), DeviceScript.SUPERVISOR.text());
        Files.writeString(release.resolve("jvm.args"), "-Xmx16m\n");
        Files.createSymbolicLink(prefix.resolve("current"), Path.of("releases/r1"));
        Path state = Files.createDirectories(prefix.resolve("state"));
        Path whoami = state.resolve("whoami");
        // The stand-in for java records who runs it and exits 0, so the supervisor ends too.
        Path java = base.resolve("java");
        Files.writeString(java, "#!/bin/sh\nid -un > '" + whoami + ".tmp' && mv '" + whoami + ".tmp' '" + whoami + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, new ProcessBuilder("chown", "-R", "nobody:", state.toString()).inheritIO().start().waitFor());

        Process service = new ProcessBuilder("sh", "-s", "--", prefix.toString(), "supervisor", "restart", java.toString())
                .redirectErrorStream(true).start();
        service.getOutputStream().write(DeviceScript.SERVICE.text().getBytes(StandardCharsets.UTF_8));
        service.getOutputStream().close();
        String out = new String(service.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, service.waitFor(), out);
        String user = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!Files.exists(whoami)) {
                Thread.sleep(50);
            }
            return Files.readString(whoami).strip();
        });
        assertEquals("nobody", user, "the runtime runs as the service user; log: "
                + (Files.exists(state.resolve("runtime.log")) ? Files.readString(state.resolve("runtime.log")) : "none"));
    }
}
