package dev.latchkey.oauth;

import dev.latchkey.domain.secret.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RFC 7636 §4.2: {@code code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))}, without padding. */
final class PkceChallenge {

    static final String METHOD = "S256";

    private PkceChallenge() {}

    static String s256(Secret codeVerifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(codeVerifier.reveal().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
