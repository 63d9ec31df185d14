package dev.latchkey.domain.application;

import com.fasterxml.jackson.annotation.JsonValue;

public enum ProviderStatus {
    READY("ready"),
    NEEDS_SERVER_ADMIN("needs-server-admin");

    private final String wire;

    ProviderStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
