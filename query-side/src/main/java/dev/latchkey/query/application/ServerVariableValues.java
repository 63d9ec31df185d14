package dev.latchkey.query.application;

import com.fasterxml.jackson.annotation.JsonIgnoreType;
import dev.latchkey.domain.secret.Sealed;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sealed values of an application's server variables (client ids and secrets), for building provider clients.
 * Jackson leaves it out of any JSON: serialising a whole row by mistake prints no ciphertext.
 */
@JsonIgnoreType
public record ServerVariableValues(Map<String, Sealed> values) {

    public ServerVariableValues {
        values = Map.copyOf(values);
    }

    public Optional<Sealed> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Set<String> names() {
        return values.keySet();
    }

    @Override
    public String toString() {
        return "ServerVariableValues" + values.keySet() + "[***]";
    }
}
