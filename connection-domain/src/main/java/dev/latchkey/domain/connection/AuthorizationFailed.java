package dev.latchkey.domain.connection;

/**
 * An authorization attempt ended without tokens: the person denied consent, or the code exchange failed. The
 * connection keeps whatever it had before the attempt.
 *
 * @param error an OAuth error code or a failure kind, never a provider body
 */
public record AuthorizationFailed(ConnectionId connectionId, String error, FailureKind kind)
        implements ConnectionEvent {}
