package org.edgeml.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.engine.TestModels;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Q8ModelFile;
import org.edgeml.core.security.Ed25519Keys;
import org.edgeml.host.security.ModelSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** deploy --trusted-key: the signature is checked before anything is uploaded, and the key goes to the device. */
class TrustedKeyDeployTest {
    @TempDir
    Path tmp;

    private Path key() throws Exception {
        Path key = tmp.resolve("key");
        KeyPair pair = Ed25519Keys.generate();
        Ed25519Keys.writePrivate(key, pair.getPrivate());
        Ed25519Keys.writePublic(tmp.resolve("key.pub"), pair.getPublic());
        return key;
    }

    @Test
    void anUnsignedModelIsNotDeployedAndNoHostIsContacted() throws Exception {
        key();
        Path model = tmp.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(1, 4, Activation.RELU, 5, 3), model);
        Path jar = Files.writeString(tmp.resolve("runtime.jar"), "not used");
        Cli.Run run = Cli.run(new DeployCommand(), "--host", "nobody@host.invalid", "--model", model.toString(),
                "--runtime-jar", jar.toString(), "--trusted-key", tmp.resolve("key.pub").toString());
        assertEquals(EdgemlException.EXIT_MODEL_REFUSED, run.exit(), run.all());
        assertTrue(run.err().contains("not deployed: the model is not signed"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aSignedModelPassesAndThePublicKeyGoesIntoTheRelease() throws Exception {
        Path key = key();
        Path model = tmp.resolve("m.q8");
        Q8ModelFile.write(TestModels.model(1, 4, Activation.RELU, 5, 3), model);
        Q8ModelFile.writeBytes(ModelSigner.fromKeyFile(key, "--key").sign(Files.readAllBytes(model), "m.q8"), model);
        Inventory.LineOptions parsed = new Inventory.LineOptions();
        new CommandLine(parsed).parseArgs("--trusted-key", tmp.resolve("key.pub").toString());
        DeviceConfig config = new DeviceConfig(parsed.options.given()).withDefaults("pi");
        config.requireTrusted(model);
        assertEquals(Map.of("trusted-key", tmp.resolve("key.pub")), config.localFiles());
        assertTrue(config.render("/opt/edgeml/releases/R", "/h", "R", "abc")
                .contains("trusted-key = /opt/edgeml/releases/R/trusted-key.pub\n"));
    }
}
