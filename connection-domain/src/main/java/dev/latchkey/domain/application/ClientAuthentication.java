package dev.latchkey.domain.application;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the client authenticates at the token and revocation endpoints (RFC 6749 §2.3.1). */
public enum ClientAuthentication {
    CLIENT_SECRET_POST("client_secret_post"),
    CLIENT_SECRET_BASIC("client_secret_basic");

    private final String wire;

    ClientAuthentication(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ClientAuthentication fromWire(String wire) {
        for (ClientAuthentication type : values()) {
            if (type.wire.equals(wire)) {
                return type;
            }
        }
        throw new IllegalArgumentException("clientAuthentication must be client_secret_post or client_secret_basic");
    }
}
