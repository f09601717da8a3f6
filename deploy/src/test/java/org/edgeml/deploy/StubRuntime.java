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
import org.edgeml.runtime.model.Q8ModelFile;

/**
 * Stand-ins for edge-runtime.jar, compiled by the test. The healthy one does what deploy needs from the real
 * runtime and nothing more: reads {@code --config FILE}, loads the model with the real model reader (the jar's
 * Class-Path points at edge-runtime's classes), writes {@code health-file} as {@code {"state":"online","model":ID}},
 * and stays up until stopped. The broken one exits with status 1 at once. Both carry 2 MB of padding so an
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
                    String id = org.edgeml.runtime.model.Q8ModelFile.read(Path.of(v.get("model"))).id();
                    Path health = Path.of(v.get("health-file"));
                    write(health, "{\\"state\\":\\"online\\",\\"model\\":\\"" + id + "\\",\\"device\\":\\"" + v.get("device") + "\\"}");
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
        String runtimeClasses = Path.of(codeSource()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", runtimeClasses, src.toString());
        if (status != 0) {
            throw new IOException("stub runtime did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StubRuntime");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, codeSource().toString());
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

    /** Where edge-runtime's classes are (its target/classes directory or jar), as a URI. */
    private static java.net.URI codeSource() {
        try {
            return Q8ModelFile.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
