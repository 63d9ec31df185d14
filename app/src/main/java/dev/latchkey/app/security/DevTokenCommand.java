package dev.latchkey.app.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.app.config.LatchkeyProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code java -jar latchkey.jar mint-token --sub alice --wid ws-1 --uwid uw-1 --app <id> --trigger http-route
 * --scope "connections:read" [--ttl PT1H]}: prints a development caller token signed with the same HS256 secret
 * the server uses ({@code LATCHKEY_JWT_SECRET}, else the one generated in {@code LATCHKEY_DATA_DIR}).
 */
public final class DevTokenCommand {

    public static final String NAME = "mint-token";

    private DevTokenCommand() {}

    public static String mint(Map<String, String> options, byte[] secret, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(options.getOrDefault("sub", "developer"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.parse(options.getOrDefault("ttl", "PT1H")))));
        for (String claim : new String[] {"wid", "uwid", "app", "trigger", "scope"}) {
            if (options.containsKey(claim)) {
                claims.claim(claim, options.get(claim));
            }
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
        }
    }

    /** Runs the command from {@code main}; arguments after the command name are {@code --name value} pairs. */
    public static void run(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        // the same settings as the server: latchkey.* from the environment and system properties, defaults included
        LatchkeyProperties properties =
                Binder.get(new StandardEnvironment()).bindOrCreate("latchkey", LatchkeyProperties.class);
        byte[] secret = properties.jwtSecret() != null
                        && !properties.jwtSecret().reveal().isBlank()
                ? properties.jwtSecret().utf8()
                : JwtSecretSource.generatedSecret(properties.dataDir(), false);
        System.out.println(mint(options, secret, Instant.now()));
    }
}
