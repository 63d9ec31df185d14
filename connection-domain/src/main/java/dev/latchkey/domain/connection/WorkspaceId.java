package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The workspace a connection belongs to. */
public record WorkspaceId(String value) {

    public WorkspaceId {
        Objects.requireNonNull(value, "WorkspaceId");
        if (value.isBlank()) {
            throw new IllegalArgumentException("WorkspaceId must not be blank");
        }
    }

    @JsonCreator
    public static WorkspaceId of(String value) {
        return new WorkspaceId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
