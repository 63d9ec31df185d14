package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The provider's callback carried {@code error} instead of a code (the person declined, for instance). The state
 * is checked like a successful callback and used up; the connection keeps what it had. Answers the return URL.
 */
public record DenyAuthorization(
        @TargetAggregateIdentifier ConnectionId connectionId, String stateDigest, String bindingDigest, String error) {}
