package dev.latchkey.domain.application;

public record ApplicationInstalled(ApplicationId applicationId, Manifest manifest) implements ApplicationEvent {}
