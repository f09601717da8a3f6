package org.edgeml.quantizer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.edgeml.core.model.LoadedModel;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.host.io.OutputPaths;
import org.edgeml.host.security.ModelSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeml sign MODEL.q8 --key KEY [--out FILE]}. */
@Command(name = "sign", header = "Sign an int8 model file with an Ed25519 key.", mixinStandardHelpOptions = true,
        description = {"Append an Ed25519 signature of the model's SHA-256 (a SIGN trailer chunk) to MODEL.q8, or to a",
            "copy with --out. The model id does not change; an earlier signature is replaced."})
public final class SignCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.q8", description = "The int8 model file.")
    Path model;

    @Option(names = "--key", paramLabel = "KEY", required = true,
            description = "The private key from 'edgeml keygen --out KEY' (KEY.pub must be beside it).")
    Path key;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the signed model here (default: sign MODEL.q8 in place).")
    Path out;

    @Override
    public Integer call() {
        Path target = out != null ? out : model;
        OutputPaths.requireWritableFile(target, "--out", key, key.resolveSibling(key.getFileName() + ".pub"));
        ModelSigner signer = ModelSigner.fromKeyFile(key, "--key");
        byte[] signed = signer.sign(Q8ModelFile.readBytes(model), String.valueOf(model.getFileName()));
        Q8ModelFile.writeBytes(signed, target);
        LoadedModel written = Q8ModelFile.read(target);
        System.out.println("signed " + target + " (model " + written.id() + ") with key " + signer.keyId());
        return 0;
    }
}
