package dev.latchkey.domain.application;

/** One thing wrong with a request, by its JSON path, e.g. {@code connectionProviders[0].name}. */
public record FieldError(String field, String message) {}
