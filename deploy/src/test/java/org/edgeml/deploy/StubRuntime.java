package org.edgeml.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.edgeml.core.model.Q8ModelFile;

/**
 * Stand-ins for edge-runtime.jar, compiled by the test. The healthy one does what deploy needs from the real
 * runtime and nothing more: reads {@code --config FILE}, loads the model with the real model reader (the jar's
 * Class-Path points at edge-runtime's classes), writes {@code health-file} as {@code {"state":"online","model":ID}},
 * publishes the same (with a new boot id each start) as its retained MQTT status when a broker is configured (Paho, also on its Class-Path), and
 * stays up until stopped. The broken one exits with status 1 at once. Both carry 2 MB of padding so an
 * upload lasts long enough to be cut.
 */
final class StubRuntime {
    private StubRuntime() {}

    private static final String HEALTHY = """
            import java.nio.file.*;
            import java.util.*;
            public class StubRuntime {
                public static void main(String[] args) throws Exception {
                    Path config = null;
                    for (int i = 0; i < args.length; i++) if (args[i].equals("--config")) config = Path.of(args[++i]);
                    Map<String, String> v = new HashMap<>();
                    for (String line : Files.readAllLines(config)) {
                        int hash = line.indexOf('#');
                        if (hash >= 0) line = line.substring(0, hash);
                        int eq = line.indexOf('=');
                        if (eq > 0) v.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                    }
                    String id = org.edgeml.core.model.Q8ModelFile.read(Path.of(v.get("model"))).id();
                    String online = "{\\"state\\":\\"online\\",\\"model\\":\\"" + id + "\\",\\"device\\":\\"" + v.get("device")
                            + "\\",\\"boot\\":\\"" + Long.toHexString(new Random().nextLong()) + "\\"}";
                    if (v.containsKey("broker")) {
                        String topic = v.getOrDefault("topic-prefix", "edgeml") + "/" + v.get("device") + "/status";
                        var client = new org.eclipse.paho.client.mqttv3.MqttClient(v.get("broker"), "stub-" + v.get("device"),
                                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
                        var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
                        options.setWill(topic, "{\\"state\\":\\"offline\\"}".getBytes(), 1, true);
                        client.connect(options);
                        client.publish(topic, online.getBytes(), 1, true);
                    }
                    Path health = Path.of(v.get("health-file"));
                    write(health, online);
                    System.out.println("stub runtime online with model " + id);
                    Thread.sleep(Long.MAX_VALUE);
                }
                static void write(Path file, String text) throws Exception {
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.writeString(tmp, text);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            """;

    private static final String BROKEN = """
            public class StubRuntime {
                public static void main(String[] args) {
                    System.err.println("stub runtime: broken on purpose");
                    System.exit(1);
                }
            }
            """;

    static Path healthy(Path dir) throws IOException {
        return build(dir.resolve("healthy"), HEALTHY);
    }

    static Path broken(Path dir) throws IOException {
        return build(dir.resolve("broken"), BROKEN);
    }

    private static Path build(Path dir, String source) throws IOException {
        Path src = dir.resolve("src/StubRuntime.java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        String classPath = Path.of(codeSource(Q8ModelFile.class)) + java.io.File.pathSeparator
                + Path.of(codeSource(org.eclipse.paho.client.mqttv3.MqttClient.class));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", classPath, src.toString());
        if (status != 0) {
            throw new IOException("stub runtime did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StubRuntime");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                codeSource(Q8ModelFile.class) + " " + codeSource(org.eclipse.paho.client.mqttv3.MqttClient.class));
        Path jar = dir.resolve("edge-runtime.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("StubRuntime.class"));
            out.write(Files.readAllBytes(classes.resolve("StubRuntime.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("padding.bin"));
            byte[] padding = new byte[2 << 20];
            new Random(1).nextBytes(padding);
            ((OutputStream) out).write(padding);
            out.closeEntry();
        }
        return jar;
    }

    /** Where a class was loaded from (a classes directory or a jar), as a URI. */
    private static java.net.URI codeSource(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
