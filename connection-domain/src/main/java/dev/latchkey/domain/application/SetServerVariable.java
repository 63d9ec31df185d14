package dev.latchkey.domain.application;

import dev.latchkey.domain.secret.Sealed;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A server admin fills in one declared server variable; the value arrives sealed. */
public record SetServerVariable(@TargetAggregateIdentifier ApplicationId applicationId, String name, Sealed value) {}
