package dev.latchkey.app.web;

import java.util.List;
import java.util.Map;

/** A request body with one or more field errors, reported together. */
public class RequestValidationException extends RuntimeException {

    private final List<Map<String, String>> errors;

    public RequestValidationException(List<Map<String, String>> errors) {
        super("invalid request", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public static RequestValidationException of(String field, String message) {
        return new RequestValidationException(List.of(Map.of("field", field, "message", message)));
    }

    public List<Map<String, String>> errors() {
        return errors;
    }
}
