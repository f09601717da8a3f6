package org.edgeml.deploy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.deploy.device.Device;
import org.edgeml.deploy.device.ServiceMode;
import org.edgeml.deploy.ssh.SshTarget;
import org.edgeml.runtime.config.RuntimeOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeml deploy --host [user@]HOST[:PORT] --model FILE.q8 [runtime options]}, or {@code --inventory FILE}. */
@Command(name = "deploy", header = "Install the runtime and a model on devices over SSH, verified and atomic.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Install the runtime and a model on Raspberry Pis over SSH as a verified, atomic release under "
            + "PREFIX/releases, switch PREFIX/current to it, restart the service (systemd, or a supervisor where systemd "
            + "is not running) and wait until the runtime reports the new model; otherwise return to the previous release. "
            + "Runtime options (--source, --broker, ...) become the device's edgeml.conf. Exit 0 when every host is ok.")
public final class DeployCommand implements Callable<Integer> {

    static final class Hosts {
        @Option(names = "--host", paramLabel = "[USER@]HOST[:PORT]", required = true,
                description = "The device (an ~/.ssh/config alias works).")
        String host;
        @Option(names = "--inventory", paramLabel = "FILE", required = true,
                description = "Fleet file: one '[user@]HOST[:PORT] [DEVICE_ID] [--option value...]' per line, # comments.")
        Path inventory;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Hosts hosts;

    @Option(names = "--model", paramLabel = "FILE.q8", required = true, description = "The int8 model to deploy.")
    Path model;

    @Option(names = "--runtime-jar", paramLabel = "JAR",
            description = "The runtime jar to install (default: " + DEFAULT_RUNTIME_JAR + " in this checkout, as the build makes it).")
    Path runtimeJar;

    static final String DEFAULT_RUNTIME_JAR = "edge-runtime/target/edge-runtime.jar";

    @Mixin
    SshMixin ssh;

    @Option(names = "--service", paramLabel = "MODE",
            description = "How to run the runtime: ${COMPLETION-CANDIDATES} (default: systemd where it runs, else the supervisor script).")
    ServiceMode service;

    @Option(names = "--install-java", description = "Install openjdk-17-jre-headless with apt when Java is missing.")
    boolean installJava;

    @Option(names = "--dry-run", description = "Check the devices (read-only) and print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--verify", paramLabel = "MODE", defaultValue = "auto",
            description = "How to see the new runtime come up, ${COMPLETION-CANDIDATES}: its retained MQTT status, or its health"
                    + " file over SSH (auto, the default: MQTT when --broker is a tcp:// or ssl:// URL other than localhost,"
                    + " or --verify-broker is given).")
    DeployRequest.VerifyMode verify;

    @Option(names = "--verify-broker", paramLabel = "URL", description = "The broker as this machine reaches it, for --verify mqtt.")
    String verifyBroker;

    @Option(names = "--verify-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long to wait for the runtime to come up (default ${DEFAULT-VALUE}).")
    int verifyTimeout;

    @Option(names = "--jvm-option", paramLabel = "OPT", description = "Extra JVM option for the runtime (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--rotate-trust", description = "Replace the trusted key pinned on the device (at its first deploy with"
            + " --trusted-key) by this deploy's --trusted-key, or remove the pin when none is given. Without it a"
            + " release whose trusted key differs from the pin is refused.")
    boolean rotateTrust;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Hosts deployed at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Print one JSON object on stdout: every host's result, with its rollback check.")
    boolean json;

    @Mixin
    RuntimeOptions runtime;

    /** Releases kept on a device; the current and the previous one are never removed. */
    public static final int KEEP_RELEASES = 5;

    @Override
    public Integer call() {
        Path jar = runtimeJar != null ? runtimeJar : defaultRuntimeJar();
        if (!Files.isRegularFile(jar)) {
            throw new EdgemlException("--runtime-jar " + jar + ": no such file; build it with 'mvn -pl edge-runtime -am package'"
                    + " or give the jar's path");
        }
        if (verifyTimeout < 1 || verifyTimeout > 3600) {
            throw new EdgemlException("--verify-timeout " + verifyTimeout + " is out of range; use 1 to 3600 seconds");
        }
        Device.checkPrefix(ssh.prefix);
        DeviceConfig base = new DeviceConfig(runtime.given());
        // Each target's options are checked as the runtime checks them (Target), before anything touches a device.
        List<Target> targets = hosts.inventory != null
                ? Inventory.read(hosts.inventory, base)
                : List.of(new Target(SshTarget.parse(hosts.host), base, null));
        String modelId = Q8ModelFile.read(model).id();
        DeployRequest request = new DeployRequest(model, modelId, jar, Release.newId(Instant.now(), modelId), ssh.prefix,
                jvmOptions, service, installJava, dryRun, verify, verifyBroker,
                Duration.ofSeconds(verifyTimeout), KEEP_RELEASES, rotateTrust);
        base.requireTrusted(model); // before any connection; each target is checked again with its own options
        return run(targets, request, System.out, System.err);
    }

    int run(List<Target> targets, DeployRequest request, PrintStream out, PrintStream err) {
        UploadProgress progress = new UploadProgress(err);
        Deployer deployer = targets.size() == 1
                ? new Deployer(t -> new org.edgeml.deploy.ssh.OpenSshShell(t, ssh.options(), progress), request, err)
                : new Deployer(ssh::shell, request, err);
        List<DeployResult> results = Fleet.run(targets, parallel, deployer::deploy);
        if (json) {
            out.println(Json.write(Fleet.toJson(results)));
        }
        if (results.size() == 1) {
            DeployResult r = results.get(0);
            if (!r.succeeded()) {
                throw new EdgemlException(r.host() + ": " + r.outcome().label() + ": " + r.message(), EdgemlException.EXIT_GATE_FAILED, null);
            }
            if (!json) {
                out.printf(java.util.Locale.ROOT, "%s %s to %s in %.1f s (%s)%n", r.outcome() == DeployResult.Outcome.PLANNED
                        ? "planned" : "deployed", r.release(), r.host(), r.seconds(), r.message());
            }
        } else if (!json) {
            out.print(Fleet.summary(results));
        }
        return results.stream().allMatch(DeployResult::succeeded) ? 0 : EdgemlException.EXIT_GATE_FAILED;
    }

    /**
     * {@value #DEFAULT_RUNTIME_JAR} under the working directory, or else under the checkout this tool runs from
     * (found upwards from its own classes: {@code deploy/target/classes} or {@code cli/target/lib/deploy-*.jar}).
     */
    static Path defaultRuntimeJar() {
        Path here = Path.of(DEFAULT_RUNTIME_JAR);
        if (Files.isRegularFile(here)) {
            return here;
        }
        try {
            Path dir = Path.of(DeployCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
                Path candidate = dir.resolve(DEFAULT_RUNTIME_JAR);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the relative path, which the error message then names
        }
        return here;
    }
}
