package org.edgeml.quantizer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.host.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeml keygen --out KEY}: an Ed25519 key pair for signing models. */
@Command(name = "keygen", header = "Make an Ed25519 key pair for signing models.", mixinStandardHelpOptions = true,
        description = {"Write an Ed25519 private key to KEY (PKCS#8 PEM, mode 0600) and its public key to KEY.pub",
            "(X.509 PEM). Sign models with 'edgeml sign MODEL --key KEY' or 'edgeml quantize --sign KEY'; devices",
            "run only models signed by it when given '--trusted-key KEY.pub'. Keep KEY secret; KEY.pub may be shared."})
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "KEY", required = true, description = "The private key file; the public key goes to KEY.pub.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing key (models signed with it can then no longer be re-signed by it).")
    boolean force;

    @Override
    public Integer call() {
        Path pub = out.resolveSibling(out.getFileName() + ".pub");
        for (Path p : new Path[] {out, pub}) {
            OutputPaths.requireWritableFile(p, "--out");
            if (Files.exists(p) && !force) {
                throw new EdgemlException(p + " already exists; choose another --out, or add --force to replace the key");
            }
        }
        KeyPair pair = Ed25519Keys.generate();
        try {
            Ed25519Keys.writePrivate(out, pair.getPrivate());
            Ed25519Keys.writePublic(pub, pair.getPublic());
        } catch (IOException e) {
            throw new EdgemlException(out + ": cannot write the key (" + e.getMessage() + ")", e);
        }
        System.out.println("key id " + Ed25519Keys.keyId(pair.getPublic()) + ": private key " + out + " (keep it secret), public key " + pub);
        return 0;
    }
}
