package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who may use a connection: its owner only, or every member of the workspace and its cron and database-event triggers. */
public enum Visibility {
    USER("user"),
    WORKSPACE("workspace");

    private final String wire;

    Visibility(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Visibility fromWire(String wire) {
        for (Visibility value : values()) {
            if (value.wire.equals(wire)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown Visibility: " + wire);
    }
}
