package dev.latchkey.domain.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret in plaintext, in memory only: a token, an authorization code, a PKCE verifier, a client secret.
 * It prints as {@code ***} and has no bean properties, so it cannot slip into a log line, an exception
 * message or a serialized event by accident. Only crypto and adapter code call {@link #reveal()}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** Null for null, so optional secrets (a refresh token a provider did not send) stay optional. */
    public static Secret ofNullable(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && MessageDigest.isEqual(utf8(), that.utf8());
    }

    @Override
    public int hashCode() {
        return 0; // never derived from the value
    }

    @Override
    public String toString() {
        return "***";
    }
}
