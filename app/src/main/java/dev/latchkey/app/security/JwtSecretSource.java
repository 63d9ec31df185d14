package dev.latchkey.app.security;

import dev.latchkey.app.config.LatchkeyProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The HS256 secret for caller tokens: {@code LATCHKEY_JWT_SECRET}, or, on the embedded default only, one generated
 * once into the data directory. With an external database and neither a secret nor a JWK set, startup fails.
 */
@Component
public class JwtSecretSource {

    static final int MIN_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(JwtSecretSource.class);

    private final LatchkeyProperties properties;
    private final boolean embeddedDatabase;

    public JwtSecretSource(LatchkeyProperties properties, Environment environment) {
        this.properties = properties;
        this.embeddedDatabase = !environment.containsProperty("spring.datasource.url")
                || environment.getProperty("spring.datasource.url", "").isBlank();
    }

    public byte[] secret() {
        return configuredSecret().orElseGet(() -> {
            if (!embeddedDatabase) {
                throw new IllegalStateException("set LATCHKEY_JWT_SECRET (at least " + MIN_BYTES
                        + " bytes) or spring.security.oauth2.resourceserver.jwt.jwk-set-uri to accept caller tokens");
            }
            return generatedSecret(properties.dataDir(), true);
        });
    }

    /** {@code LATCHKEY_JWT_SECRET}, if set; never the generated one (with a JWK set, HS256 only while it is set). */
    public Optional<byte[]> configuredSecret() {
        if (properties.jwtSecret() == null || properties.jwtSecret().reveal().isBlank()) {
            return Optional.empty();
        }
        byte[] bytes = properties.jwtSecret().utf8();
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException("LATCHKEY_JWT_SECRET must be at least " + MIN_BYTES + " bytes");
        }
        return Optional.of(bytes);
    }

    /** The secret generated into the data directory, created on first use. */
    static byte[] generatedSecret(Path dataDir, boolean logHowToMint) {
        Path file = dataDir.resolve("jwt-secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] random = new byte[MIN_BYTES];
                new SecureRandom().nextBytes(random);
                Files.writeString(file, Base64.getEncoder().encodeToString(random));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                if (logHowToMint) {
                    log.info(
                            "No LATCHKEY_JWT_SECRET set: generated a development secret into {}. Mint a token with:"
                                    + " java -jar app/target/latchkey.jar mint-token --sub you --wid ws-1 --uwid uw-1"
                                    + " --scope 'apps:admin connections:write connections:read'",
                            file);
                }
            }
            return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
