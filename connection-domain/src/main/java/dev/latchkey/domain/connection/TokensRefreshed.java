package dev.latchkey.domain.connection;

/**
 * New tokens from a refresh. When the provider returned no refresh token, {@code tokens} carries the previous one:
 * a refresh token is never lost.
 *
 * @param decidedAt the sequence number of the {@link RefreshStarted} this answers
 */
public record TokensRefreshed(ConnectionId connectionId, long decidedAt, TokenSet tokens) implements ConnectionEvent {}
