package dev.latchkey.query.authorization;

import java.util.Objects;

/** The pending state with this SHA-256 digest (hex). Answers {@code Optional<AuthorizationState>}. */
public record FindAuthorizationState(String stateDigest) {

    public FindAuthorizationState {
        Objects.requireNonNull(stateDigest, "stateDigest");
    }
}
