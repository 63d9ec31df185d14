package dev.latchkey.domain.application;

import org.axonframework.serialization.Revision;

/** The application is gone; every connection of it is revoked by a follow-up process. */
@Revision("1")
public record ApplicationUninstalled(ApplicationId applicationId) implements ApplicationEvent {}
