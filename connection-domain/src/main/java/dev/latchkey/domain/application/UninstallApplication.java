package dev.latchkey.domain.application;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UninstallApplication(
        @TargetAggregateIdentifier ApplicationId applicationId) {}
