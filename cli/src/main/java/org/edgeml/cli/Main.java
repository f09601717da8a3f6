package org.edgeml.cli;

import java.io.PrintWriter;
import org.edgeml.bench.BenchCommand;
import org.edgeml.bench.ExportOnnxCommand;
import org.edgeml.core.EdgemlException;
import org.edgeml.deploy.DeployCommand;
import org.edgeml.deploy.RollbackCommand;
import org.edgeml.deploy.StatusCommand;
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
            QuantizeCommand.class,
            CheckCommand.class,
            ExportCCommand.class,
            KeygenCommand.class,
            SignCommand.class,
            RunCommand.class,
            WatchCommand.class,
            DeployCommand.class,
            RollbackCommand.class,
            StatusCommand.class,
            BenchCommand.class,
            ExportOnnxCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

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
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
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
            err.println("edgeml: error: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EdgemlException.EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }
}
