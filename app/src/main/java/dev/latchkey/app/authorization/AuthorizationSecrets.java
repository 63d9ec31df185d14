package dev.latchkey.app.authorization;

import dev.latchkey.domain.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random values for one authorization attempt and the digests under which they are stored. */
public final class AuthorizationSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthorizationSecrets() {}

    /** 256 random bits, base64url without padding (43 characters: also a valid RFC 7636 verifier). */
    public static Secret random256() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** SHA-256, hex: what is stored and looked up instead of the value. */
    public static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String digest(Secret secret) {
        return digest(secret.reveal());
    }
}
