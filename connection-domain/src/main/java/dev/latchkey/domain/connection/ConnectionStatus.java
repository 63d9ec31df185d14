package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a connection is in its life; revoked is terminal. */
public enum ConnectionStatus {
    PENDING("pending"),
    ACTIVE("active"),
    AUTH_FAILED("auth-failed"),
    REVOKED("revoked");

    private final String wire;

    ConnectionStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ConnectionStatus fromWire(String wire) {
        for (ConnectionStatus value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown ConnectionStatus: " + wire);
    }
}
