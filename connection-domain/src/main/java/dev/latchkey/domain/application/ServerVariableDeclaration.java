package dev.latchkey.domain.application;

/** A server variable an application declares; its value is filled in once by a server admin. */
public record ServerVariableDeclaration(String description, boolean isSecret, boolean isRequired) {}
