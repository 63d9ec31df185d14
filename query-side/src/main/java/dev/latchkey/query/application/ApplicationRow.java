package dev.latchkey.query.application;

/** An application as the view holds it: the public {@link ApplicationView}, and the sealed variable values apart. */
public record ApplicationRow(ApplicationView application, ServerVariableValues values) {}
