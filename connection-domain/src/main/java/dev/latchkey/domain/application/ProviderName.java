package dev.latchkey.domain.application;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/** The name of a connection provider inside its application, as used by {@code listConnections(providerName)}. */
public record ProviderName(String value) {

    public static final Pattern PATTERN = Pattern.compile("^[a-z][a-z0-9-]*$");

    public ProviderName {
        Objects.requireNonNull(value, "ProviderName");
        if (!PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("provider name must match " + PATTERN.pattern());
        }
    }

    @JsonCreator
    public static ProviderName of(String value) {
        return new ProviderName(value);
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
