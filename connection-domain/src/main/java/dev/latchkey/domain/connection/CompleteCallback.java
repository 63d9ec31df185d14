package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Accept a provider callback: the state must be the pending one, unused, unexpired, and presented by the browser
 * that started the flow. Answers a {@link CallbackDecision}; the code exchange follows outside the aggregate.
 */
public record CompleteCallback(
        @TargetAggregateIdentifier ConnectionId connectionId, String stateDigest, String bindingDigest) {}
