package dev.latchkey.domain.connection;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A logic function says the provider rejected the access token it was given.
 *
 * @param accessTokenExpiresAt identifies the token it was given; when the connection holds a different token now
 *     (it was refreshed after that one was handed out) the report is ignored. Null means the current token.
 */
public record ReportAuthFailure(
        @TargetAggregateIdentifier ConnectionId connectionId, String reason, Instant accessTokenExpiresAt) {}
