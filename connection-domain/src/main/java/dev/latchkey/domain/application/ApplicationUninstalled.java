package dev.latchkey.domain.application;

/** The application is gone; every connection of it is revoked by a follow-up process. */
public record ApplicationUninstalled(ApplicationId applicationId) implements ApplicationEvent {}
