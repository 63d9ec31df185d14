package dev.latchkey.domain.connection;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record the tokens a code exchange returned, against the callback decision it answers. */
public record RecordCodeExchange(
        @TargetAggregateIdentifier ConnectionId connectionId, long decidedAt, TokenSet tokens, String handle) {}
