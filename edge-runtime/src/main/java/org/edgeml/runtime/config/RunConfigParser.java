package org.edgeml.runtime.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgeml.core.EdgemlException;

/**
 * Reads {@link RunConfig} from command-line flags ({@code --flag value} or {@code --flag=value}) and from an
 * optional {@code --config FILE} of {@code key = value} lines with the same keys (without dashes; {@code #}
 * starts a comment). Flags override the file. The runtime jar cannot carry picocli, hence this small parser.
 */
public final class RunConfigParser {

    /** One key: its value placeholder ({@code null} for a switch) and its help line. */
    private record Option(String key, String value, String help) {}

    private static final List<Option> OPTIONS = List.of(
            new Option("model", "FILE", "int8 model file (.q8) to run (required)"),
            new Option("source", "SOURCE", "rpicam | dir:PATH | idx:PATH (required)"),
            new Option("broker", "URL", "MQTT broker, tcp://HOST:1883 or ssl://HOST:8883 (default tcp://localhost:1883)"),
            new Option("device", "ID", "device id in topics (default: host name)"),
            new Option("count", "N", "exit after N predictions (default 0: run until stopped)"),
            new Option("topic-prefix", "PREFIX", "topic prefix (default edgeml)"),
            new Option("qos", "0|1|2", "QoS of predictions (default 1)"),
            new Option("publish", "every|change", "publish every prediction or only changes of class (default every)"),
            new Option("fps", "MAX", "classify at most MAX frames per second (default 0: no limit)"),
            new Option("username", "NAME", "MQTT user name"),
            new Option("password-file", "FILE", "file holding the MQTT password (first line)"),
            new Option("cafile", "FILE", "PEM CA certificate(s) the broker's certificate must chain to"),
            new Option("cert", "FILE", "PEM client certificate (with --key)"),
            new Option("key", "FILE", "PEM PKCS#8 client private key (with --cert)"),
            new Option("led", "PIN", "BCM GPIO of an LED that blinks per prediction"),
            new Option("button", "PIN", "BCM GPIO of a push button to ground"),
            new Option("trigger", "continuous|button", "classify every frame, or one per button press (default continuous)"),
            new Option("no-discovery", null, "do not publish Home Assistant discovery"),
            new Option("persistence-dir", "DIR", "keep in-flight MQTT messages in DIR (default: in memory)"),
            new Option("offline-buffer", "N", "messages kept while the broker is away, oldest dropped (default 10000)"),
            new Option("clean-session", null, "start a clean MQTT session (default off: QoS 1 survives outages)"),
            new Option("client-id", "ID", "MQTT client id (default edgeml-DEVICE)"),
            new Option("camera-width", "W", "rpicam frame width (default 640)"),
            new Option("camera-height", "H", "rpicam frame height (default 480)"),
            new Option("camera-fps", "F", "rpicam frame rate (default 10)"),
            new Option("rpicam-vid", "PATH", "rpicam-vid program (default rpicam-vid on PATH)"),
            new Option("camera-timeout", "SECONDS", "restart the camera after this long without a frame (default 5)"),
            new Option("health-file", "FILE", "keep the runtime's state (online, model id, counters) as JSON in FILE"),
            new Option("trusted-key", "PUB", "run only models signed by this Ed25519 public key (edgeml keygen's KEY.pub)"),
            new Option("invert", null, "invert frames first: the scene shows dark objects on a light ground, the model"
                    + " learnt light on dark (as Fashion-MNIST); not for idx: replays"));

    private RunConfigParser() {}

    /** True when the arguments ask for help ({@code --help} or {@code -h}). */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public static RunConfig parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new EdgemlException("'" + arg + "' is not a flag; flags look like --key value (see --help)");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("config")) {
                if (value == null) {
                    value = valueAfter(args, i++, key);
                }
                configFile = Path.of(value);
                continue;
            }
            Option option = option(key, "--" + key);
            if (value == null) {
                value = option.value() == null ? "true" : valueAfter(args, i++, key);
            }
            if (flags.put(key, value) != null) {
                throw new EdgemlException("--" + key + " is given twice; give it once");
            }
        }
        Map<String, String> values = configFile == null ? new LinkedHashMap<>() : readFile(configFile);
        values.putAll(flags);
        return build(values);
    }

    private static String valueAfter(String[] args, int i, String key) {
        if (i + 1 >= args.length || (args[i + 1].startsWith("--") && args[i + 1].length() > 2)) {
            throw new EdgemlException("--" + key + " needs a value; write --" + key + " VALUE");
        }
        return args[i + 1];
    }

    private static Option option(String key, String shown) {
        for (Option o : OPTIONS) {
            if (o.key().equals(key)) {
                return o;
            }
        }
        throw new EdgemlException(shown + " is not an option of edgeml run; see --help for the list");
    }

    /** Reads {@code key = value} lines; blank lines and {@code #} comments are skipped. */
    static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdgemlException("cannot read config file " + file + " (" + e.getMessage() + "); check the path");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (n + 1);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new EdgemlException(where + ": '" + line + "' is not 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            option(key, where + ": key '" + key + "'");
            if (values.put(key, line.substring(eq + 1).strip()) != null) {
                throw new EdgemlException(where + ": key '" + key + "' is given twice; keep one");
            }
        }
        return values;
    }

    private static RunConfig build(Map<String, String> v) {
        if (!v.containsKey("source")) {
            throw new EdgemlException("source: missing; give --source rpicam, dir:PATH or idx:PATH");
        }
        SourceSpec source = SourceSpec.parse(v.get("source"));
        String device = v.getOrDefault("device", defaultDevice());
        RunConfig config = new RunConfig(
                path(v, "model"),
                source,
                v.getOrDefault("broker", "tcp://localhost:1883"),
                device,
                longValue(v, "count", 0),
                v.getOrDefault("topic-prefix", "edgeml"),
                intValue(v, "qos", 1),
                choice(v, "publish", PublishMode.class, PublishMode.EVERY),
                doubleValue(v, "fps", 0),
                v.get("username"),
                path(v, "password-file"),
                path(v, "cafile"),
                path(v, "cert"),
                path(v, "key"),
                intValue(v, "led", RunConfig.NO_PIN),
                intValue(v, "button", RunConfig.NO_PIN),
                choice(v, "trigger", TriggerMode.class, TriggerMode.CONTINUOUS),
                !bool(v, "no-discovery"),
                path(v, "persistence-dir"),
                intValue(v, "offline-buffer", 10_000),
                bool(v, "clean-session"),
                v.getOrDefault("client-id", "edgeml-" + device),
                intValue(v, "camera-width", 640),
                intValue(v, "camera-height", 480),
                intValue(v, "camera-fps", 10),
                v.getOrDefault("rpicam-vid", "rpicam-vid"),
                intValue(v, "camera-timeout", 5),
                path(v, "health-file"),
                path(v, "trusted-key"),
                bool(v, "invert"));
        requireFile("model", config.model());
        requireFile("password-file", config.passwordFile());
        requireFile("cafile", config.cafile());
        requireFile("cert", config.cert());
        requireFile("key", config.key());
        requireFile("trusted-key", config.trustedKey());
        warnIfWorldReadable("password-file", config.passwordFile());
        warnIfWorldReadable("key", config.key());
        if (source.kind() != SourceSpec.Kind.RPICAM && !Files.exists(source.path())) {
            throw new EdgemlException("source: " + source.path() + " does not exist; check the path");
        }
        return config;
    }

    private static void requireFile(String key, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new EdgemlException(key + ": " + file + " is not a readable file; check the path");
        }
    }

    /** Secrets should be readable by the service user (and its group) only; others reading them is worth a warning. */
    private static void warnIfWorldReadable(String key, Path file) {
        try {
            if (file != null && Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                System.getLogger(RunConfigParser.class.getName()).log(System.Logger.Level.WARNING,
                        key + ": " + file + " is readable by every user; restrict it: chmod o-r " + file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or unreadable (reported when it is read)
        }
    }

    private static Path path(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null) {
            return null;
        }
        if (s.isBlank()) {
            throw new EdgemlException(key + ": empty; give a path");
        }
        return Path.of(s);
    }

    private static long longValue(Map<String, String> v, String key, long fallback) {
        String s = v.get(key);
        try {
            return s == null ? fallback : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new EdgemlException(key + ": '" + s + "' is not a whole number");
        }
    }

    private static int intValue(Map<String, String> v, String key, int fallback) {
        long value = longValue(v, key, fallback);
        if (value != (int) value) {
            throw new EdgemlException(key + ": " + value + " is far out of range");
        }
        return (int) value;
    }

    private static double doubleValue(Map<String, String> v, String key, double fallback) {
        String s = v.get(key);
        try {
            return s == null ? fallback : Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new EdgemlException(key + ": '" + s + "' is not a number");
        }
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = v.getOrDefault(key, "false").strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new EdgemlException(key + ": '" + s + "' is not true or false");
        };
    }

    private static <E extends Enum<E>> E choice(Map<String, String> v, String key, Class<E> type, E fallback) {
        String s = v.get(key);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.strip())) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : " or ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new EdgemlException(key + ": '" + s + "' is not allowed; use " + allowed);
    }

    /** The host name, reduced to the characters a device id may hold. */
    static String defaultDevice() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "edge");
        }
        int dot = host.indexOf('.');
        String name = (dot > 0 ? host.substring(0, dot) : host).replaceAll("[^A-Za-z0-9_-]", "-");
        return name.isEmpty() ? "edge" : name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** The help text of {@code edgeml run}. */
    /** Every option's key (the flag without its dashes, as in the config file), in the order of {@link #usage()}. */
    public static List<String> keys() {
        return OPTIONS.stream().map(Option::key).toList();
    }

    public static String usage() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: edgeml run --model FILE.q8 --source SOURCE [options]\n")
                .append("       java -jar edge-runtime.jar --config FILE [options]\n\n")
                .append("Options (also 'key = value' lines in --config FILE, without the dashes; flags win):\n");
        out.append(String.format("  %-32s %s%n", "--config FILE", "read options from FILE"));
        for (Option o : OPTIONS) {
            String flag = "--" + o.key() + (o.value() == null ? "" : " " + o.value());
            out.append(String.format("  %-32s %s%n", flag, o.help()));
        }
        return out.toString();
    }
}
