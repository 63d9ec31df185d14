package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * An authorization attempt ended without tokens: the person denied consent, or the code exchange failed. The
 * connection keeps whatever it had before the attempt.
 *
 * <p>Revision 2 renamed {@code error} to {@code reason}, the name every other failure event uses; revision 1 events
 * are upcast when read.
 *
 * @param reason an OAuth error code or a failure kind, never a provider body
 */
@Revision("2")
public record AuthorizationFailed(ConnectionId connectionId, String reason, FailureKind kind)
        implements ConnectionEvent {}
