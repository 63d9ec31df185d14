package dev.latchkey.domain.application;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UnsetServerVariable(@TargetAggregateIdentifier ApplicationId applicationId, String name) {}
