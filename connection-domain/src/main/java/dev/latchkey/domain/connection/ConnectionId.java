package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The id of a connection: a UUID chosen when its authorization starts. */
public record ConnectionId(String value) {

    public ConnectionId {
        Objects.requireNonNull(value, "ConnectionId");
        if (value.isBlank()) {
            throw new IllegalArgumentException("ConnectionId must not be blank");
        }
    }

    @JsonCreator
    public static ConnectionId of(String value) {
        return new ConnectionId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    public static ConnectionId random() {
        return new ConnectionId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
