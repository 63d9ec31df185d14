package dev.latchkey.domain.application;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** The id of an installed application: its manifest's universalIdentifier. */
public record ApplicationId(String value) {

    public ApplicationId {
        Objects.requireNonNull(value, "ApplicationId");
        if (value.isBlank()) {
            throw new IllegalArgumentException("ApplicationId must not be blank");
        }
    }

    @JsonCreator
    public static ApplicationId of(String value) {
        return new ApplicationId(value);
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
