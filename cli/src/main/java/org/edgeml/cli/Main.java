package org.edgeml.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edgeml.bench.BenchCommand;
import org.edgeml.bench.ExportOnnxCommand;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.LogFormat;
import org.edgeml.deploy.DeployCommand;
import org.edgeml.deploy.RollbackCommand;
import org.edgeml.deploy.StatusCommand;
import org.edgeml.importer.cli.ImportCommand;
import org.edgeml.quantizer.cli.CheckCommand;
import org.edgeml.quantizer.cli.ExportCCommand;
import org.edgeml.quantizer.cli.KeygenCommand;
import org.edgeml.quantizer.cli.QuantizeCommand;
import org.edgeml.quantizer.cli.SignCommand;
import org.edgeml.trainer.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code edgeml} command: one sub-command per step of the toolchain. */
@Command(name = "edgeml",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Train an image classifier, quantize it to int8, check it, and run it on a Raspberry Pi.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'edgeml COMMAND --help' for a command's options."},
        subcommands = {
            DemoCommand.class,
            TrainCommand.class,
            ImportCommand.class,
            QuantizeCommand.class,
            CheckCommand.class,
            ExportCCommand.class,
            KeygenCommand.class,
            SignCommand.class,
            RunCommand.class,
            WatchCommand.class,
            CaptureCommand.class,
            DeployCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            BenchCommand.class,
            ExportOnnxCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    /** What every command's --help lists under "Exit codes" (docs/errors.md explains each). */
    private static final Map<String, String> EXIT_CODES = exitCodes();

    static {
        LogFormat.install();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; errors are one line on stderr. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setUsageHelpAutoWidth(true);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        conventions(cli);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            while (cause != null && !(cause instanceof EdgemlException)) {
                cause = cause.getCause();
            }
            PrintWriter err = commandLine.getErr();
            if (cause instanceof EdgemlException user) {
                err.println("edgeml: error: " + user.getMessage());
                err.flush();
                return user.exitCode();
            }
            err.println("edgeml: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 70;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("edgeml: error: " + withoutErrorPrefix(ex.getMessage()) + didYouMean(ex) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EdgemlException.EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** Every command, however deep: edgeml's version for --version, and the exit codes in --help. */
    private static void conventions(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        spec.versionProvider(new Version());
        if (spec.usageMessage().exitCodeList().isEmpty()) {
            spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        }
        command.getSubcommands().values().forEach(Main::conventions);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "a gate failed (check --min-accuracy/--max-drop, a failed or rolled-back deploy)");
        codes.put("2", "bad input or usage: a flag, a file, a dataset, a corrupt model");
        codes.put("3", "a model refused: golden vectors, or a bad or missing signature");
        codes.put("70", "an internal error (a bug; please report it)");
        codes.put("130", "interrupted (Ctrl-C)");
        return Collections.unmodifiableMap(codes);
    }

    /** " (did you mean --epochs?)": the closest option or command to a mistyped one, if any resembles it. */
    /** picocli starts some messages with "Error: ", which after "edgeml: error: " would say it twice. */
    static String withoutErrorPrefix(String message) {
        return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    private static String didYouMean(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            return " (did you mean " + unmatched.getSuggestions().get(0) + "?)";
        }
        return "";
    }
}
