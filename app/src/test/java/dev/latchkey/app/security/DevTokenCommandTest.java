package dev.latchkey.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mint-token} reads the same settings as the server, defaults from {@code LatchkeyProperties} included. */
class DevTokenCommandTest {

    @Test
    void mintTokenSignsWithTheSecretOfTheConfiguredDataDirectory(@TempDir Path dataDir) throws Exception {
        String previous = System.setProperty("latchkey.data-dir", dataDir.toString());
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            DevTokenCommand.run(new String[] {DevTokenCommand.NAME, "--sub", "alice", "--wid", "ws-1"});
        } finally {
            System.setOut(out);
            if (previous == null) {
                System.clearProperty("latchkey.data-dir");
            } else {
                System.setProperty("latchkey.data-dir", previous);
            }
        }
        byte[] secret = Files.readString(dataDir.resolve("jwt-secret")).trim().getBytes(StandardCharsets.UTF_8);
        SignedJWT token =
                SignedJWT.parse(printed.toString(StandardCharsets.UTF_8).trim());
        assertThat(token.verify(new MACVerifier(secret))).isTrue();
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(token.getJWTClaimsSet().getStringClaim("wid")).isEqualTo("ws-1");
    }
}
