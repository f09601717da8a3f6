package org.edgeml.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgeml completion}: a bash (and zsh, with bashcompinit) completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script for edgeml.",
        description = "Print a completion script for bash and zsh: commands, options and the values of options with a fixed set. "
                + "Install it with: ./edgeml completion > ~/.local/share/bash-completion/completions/edgeml "
                + "(zsh: autoload -U bashcompinit && bashcompinit, then source the script).")
public final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
    }
}
