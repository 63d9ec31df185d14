package dev.latchkey.domain.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** One member of one workspace: the owner of a connection, or the person a call is made for. */
public record UserWorkspaceId(String value) {

    public UserWorkspaceId {
        Objects.requireNonNull(value, "UserWorkspaceId");
        if (value.isBlank()) {
            throw new IllegalArgumentException("UserWorkspaceId must not be blank");
        }
    }

    @JsonCreator
    public static UserWorkspaceId of(String value) {
        return new UserWorkspaceId(value);
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
