package dev.latchkey.domain.application;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Install an application's manifest, or update it when the application is already installed. */
public record InstallApplication(@TargetAggregateIdentifier ApplicationId applicationId, Manifest manifest) {}
