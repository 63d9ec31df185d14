package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a provider exchange failed, as far as what to do next is concerned. */
public enum FailureKind {
    /** The grant is dead ({@code invalid_grant}): the person must reconnect. */
    GRANT_REVOKED("grant-revoked"),
    /** The application's OAuth client is misconfigured: a problem for the server admin, not the person. */
    CLIENT_MISCONFIGURED("client-misconfigured"),
    /** Network, timeout, 429, 5xx, a body that is not what OAuth says: try again later. */
    TRANSIENT("transient");

    private final String wire;

    FailureKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static FailureKind fromWire(String wire) {
        for (FailureKind value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown FailureKind: " + wire);
    }
}
