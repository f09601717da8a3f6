package org.edgeml.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads {@link RunConfig} from command-line flags ({@code --flag value} or {@code --flag=value}) declared by
 * {@link RunOptions}, and from an optional {@code --config FILE} of {@code key = value} lines with the same keys
 * (without dashes; {@code #} starts a comment). Flags override the file. Errors are one line naming the key.
 */
public final class RunConfigParser {
    private static final String NOT_AN_OPTION = " is not an option of edgeml run; see --help for the list";

    private RunConfigParser() {}

    /** True when the arguments ask for help ({@code --help} or {@code -h}). */
    public static boolean wantsHelp(String[] args) {
        return hasAny(args, "--help", "-h");
    }

    public static boolean wantsVersion(String[] args) {
        return hasAny(args, "--version", "-V");
    }

    private static boolean hasAny(String[] args, String... flags) {
        for (String a : args) {
            for (String flag : flags) {
                if (a.equals(flag)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static RunConfig parse(String... args) {
        RunOptions flags = parseArgs(args);
        RunOptions options = flags;
        if (flags.config != null) {
            options = parseArgs(asArgs(readFile(flags.config)));
            overlay(flags, options);
        }
        return build(options);
    }

    /**
     * Checks options a deploy writes for a device ({@code run}'s keys without dashes) as the runtime will, without
     * looking at the paths they name: the same one-line errors, before anything reaches the device.
     */
    public static RunConfig check(Map<String, String> deviceOptions, Path model) {
        RunOptions options = parseArgs(asArgs(deviceOptions));
        return options.device.toConfig(model, null);
    }

    private static RunOptions parseArgs(String[] args) {
        RunOptions options = new RunOptions();
        try {
            new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true)
                    .registerConverter(Boolean.class, RunConfigParser::bool).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new EdgemlException(describe(e));
        }
        return options;
    }

    /** A switch's value in a config file or after {@code --switch=}: true, yes, on, 1 or false, no, off, 0. */
    private static Boolean bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new CommandLine.TypeConversionException("not true or false");
        };
    }

    /** picocli's complaint in the runtime's words: the key, what is wrong, and the fix. */
    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (!arg.startsWith("--") || arg.length() == 2) {
                return "'" + arg + "' is not a flag; flags look like --key value (see --help)";
            }
            int eq = arg.indexOf('=');
            return (eq > 0 ? arg.substring(0, eq) : arg) + NOT_AN_OPTION;
        }
        if (e instanceof CommandLine.OverwrittenOptionException o) {
            return name(o.getOverwritten()) + " is given twice; give it once";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            String flag = name(m.getMissing().get(0));
            return flag + " needs a value; write " + flag + " VALUE";
        }
        ArgSpec spec = e.getArgSpec();
        String value = e.getValue();
        if (spec instanceof OptionSpec option && value != null) {
            int eq = value.indexOf('=');
            if (value.startsWith("--") && eq > 0) {
                value = value.substring(eq + 1);
            }
            return name(option).substring(2) + ": " + notA(option.type(), value);
        }
        return e.getMessage();
    }

    private static String notA(Class<?> type, String value) {
        if (type == Integer.class || type == int.class) {
            try {
                return Long.parseLong(value.strip()) + " is far out of range";
            } catch (NumberFormatException e) {
                return "'" + value + "' is not a whole number";
            }
        }
        if (type == Long.class || type == long.class) {
            return "'" + value + "' is not a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "'" + value + "' is not a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "'" + value + "' is not true or false";
        }
        if (type.isEnum()) {
            StringBuilder allowed = new StringBuilder();
            for (Object constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : " or ").append(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
            }
            return "'" + value + "' is not allowed; use " + allowed;
        }
        return "'" + value + "' is not valid";
    }

    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    /** Puts every option given in {@code flags} over {@code file}'s value. */
    private static void overlay(RunOptions flags, RunOptions file) {
        List<OptionSpec> from = new CommandLine(flags).getCommandSpec().options();
        CommandLine.Model.CommandSpec to = new CommandLine(file).getCommandSpec();
        for (OptionSpec option : from) {
            Object value = option.getValue();
            if (value != null && !option.usageHelp()) {
                to.findOption(option.longestName()).setValue(value);
            }
        }
    }

    private static String[] asArgs(Map<String, String> values) {
        List<String> args = new ArrayList<>();
        values.forEach((key, value) -> args.add("--" + key + "=" + value));
        return args.toArray(String[]::new);
    }

    /** Reads {@code key = value} lines; blank lines and {@code #} comments are skipped. */
    static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdgemlException("cannot read config file " + file + " (" + e.getMessage() + "); check the path");
        }
        List<String> keys = keys();
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
            if (!keys.contains(key)) {
                throw new EdgemlException(where + ": key '" + key + "'" + NOT_AN_OPTION);
            }
            if (values.put(key, line.substring(eq + 1).strip()) != null) {
                throw new EdgemlException(where + ": key '" + key + "' is given twice; keep one");
            }
        }
        return values;
    }

    private static RunConfig build(RunOptions options) {
        RunConfig config = options.device.toConfig(options.model, options.healthFile);
        requireFile("model", config.model());
        requireFile("password-file", config.passwordFile());
        requireFile("cafile", config.cafile());
        requireFile("cert", config.cert());
        requireFile("key", config.key());
        requireFile("trusted-key", config.trustedKey());
        warnIfWorldReadable("password-file", config.passwordFile());
        warnIfWorldReadable("key", config.key());
        SourceSpec source = config.source();
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

    /** The host name, reduced to the characters a device id may hold. */
    static String defaultDevice() {
        return DefaultDevice.name();
    }

    /** Every option's key (the flag without its dashes, as in the config file), in the order of {@link #usage()}. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (OptionSpec option : new CommandLine(new RunOptions()).getCommandSpec().options()) {
            if (!option.usageHelp() && !option.longestName().equals("--config")) {
                keys.add(option.longestName().substring(2));
            }
        }
        return keys;
    }

    /** The help text of {@code edgeml run}. */
    public static String usage() {
        return new CommandLine(new RunOptions()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }
}
