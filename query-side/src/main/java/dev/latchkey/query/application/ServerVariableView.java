package dev.latchkey.query.application;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A declared server variable and whether it has a value; the value itself is never part of a view. */
public record ServerVariableView(
        String description,
        @JsonProperty("isSecret") boolean isSecret,
        @JsonProperty("isRequired") boolean isRequired,
        @JsonProperty("isSet") boolean isSet) {}
