package dev.latchkey.domain.application;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ApplicationInstalled(ApplicationId applicationId, Manifest manifest) implements ApplicationEvent {}
