package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * New tokens from a refresh. When the provider returned no refresh token, {@code tokens} carries the previous one:
 * a refresh token is never lost.
 *
 * @param decidedAt the sequence number of the {@link RefreshStarted} this answers
 */
@Revision("1")
public record TokensRefreshed(ConnectionId connectionId, long decidedAt, TokenSet tokens) implements ConnectionEvent {}
