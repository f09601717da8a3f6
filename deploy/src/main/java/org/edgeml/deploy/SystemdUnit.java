package org.edgeml.deploy;

/**
 * The systemd unit {@code edgeml.service}: the current release's runtime as the system user {@code edgeml}
 * (member of {@code video} and {@code gpio} where those groups exist), restarted 5 s after a failure (except a
 * refused model, exit status 3), with
 * everything but its state directory read-only. JVM options come from the release's {@code jvm.args}
 * ({@link JvmOptions}), so the unit itself never changes between releases.
 */
public final class SystemdUnit {
    public static final String NAME = "edgeml.service";
    public static final String USER = "edgeml";

    private SystemdUnit() {}

    public static String render(String prefix, String java) {
        String current = prefix + "/current";
        return """
                [Unit]
                Description=edgeml edge runtime (camera frames, int8 classifier, MQTT predictions)
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                User=%1$s
                Group=%1$s
                WorkingDirectory=%2$s/state
                # JVM options: %3$s/jvm.args (edgeml deploy --jvm-option).
                ExecStart=%4$s @%3$s/jvm.args -jar %3$s/edge-runtime.jar --config %3$s/edgeml.conf
                Restart=on-failure
                RestartSec=5
                # Exit status 3: the model failed its golden vectors; restarting cannot help.
                RestartPreventExitStatus=3
                TimeoutStopSec=20
                UMask=0027

                # Hardening. Devices stay visible (no PrivateDevices): the camera and GPIO are devices, reached
                # through the video and gpio groups. No MemoryDenyWriteExecute: the JIT writes code.
                NoNewPrivileges=yes
                ProtectSystem=strict
                ReadWritePaths=%2$s/state
                ProtectHome=yes
                PrivateTmp=yes
                ProtectKernelTunables=yes
                ProtectKernelModules=yes
                ProtectKernelLogs=yes
                ProtectControlGroups=yes
                ProtectClock=yes
                ProtectHostname=yes
                RestrictSUIDSGID=yes
                RestrictRealtime=yes
                RestrictNamespaces=yes
                LockPersonality=yes
                RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
                CapabilityBoundingSet=
                AmbientCapabilities=
                SystemCallArchitectures=native

                [Install]
                WantedBy=multi-user.target
                """.formatted(USER, prefix, current, java);
    }
}
