package dev.latchkey.query.application;

import dev.latchkey.domain.secret.Sealed;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The sealed values of an application's server variables (client ids and secrets), for building provider clients. */
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
