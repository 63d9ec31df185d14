package dev.latchkey.app.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.app.LatchkeySpringTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/** Caller tokens with exactly the claims a test names, signed HS256 with the test secret. */
final class TestTokens {

    static final byte[] SECRET = LatchkeySpringTest.TEST_JWT_SECRET.getBytes(StandardCharsets.UTF_8);

    private final Map<String, Object> claims = new LinkedHashMap<>();

    private TestTokens() {}

    /** {@code sub}, and {@code exp} an hour after {@code now}. */
    static TestTokens validAt(Instant now) {
        return new TestTokens().claim("sub", "alice").expiresAt(now.plus(Duration.ofHours(1)));
    }

    TestTokens claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    TestTokens without(String name) {
        claims.remove(name);
        return this;
    }

    TestTokens expiresAt(Instant exp) {
        return claim("exp", Date.from(exp));
    }

    TestTokens notBefore(Instant nbf) {
        return claim("nbf", Date.from(nbf));
    }

    String hs256() {
        return hs256(SECRET);
    }

    String hs256(byte[] secret) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), set.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
