package dev.latchkey.domain.application;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the token endpoint wants its request body. */
public enum TokenRequestContentType {
    JSON("json"),
    FORM_URLENCODED("form-urlencoded");

    private final String wire;

    TokenRequestContentType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TokenRequestContentType fromWire(String wire) {
        for (TokenRequestContentType type : values()) {
            if (type.wire.equals(wire)) {
                return type;
            }
        }
        throw new IllegalArgumentException("tokenRequestContentType must be json or form-urlencoded");
    }
}
