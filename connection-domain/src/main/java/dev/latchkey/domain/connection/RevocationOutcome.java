package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the provider said to one RFC 7009 revocation request. */
public enum RevocationOutcome {
    REVOKED("revoked"),
    FAILED("failed"),
    /** The provider has no revocation endpoint, or there was no such token to revoke. */
    UNSUPPORTED("unsupported");

    private final String wire;

    RevocationOutcome(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RevocationOutcome fromWire(String wire) {
        for (RevocationOutcome value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown RevocationOutcome: " + wire);
    }
}
