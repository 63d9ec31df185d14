package dev.latchkey.domain.connection;

import dev.latchkey.domain.secret.Sealed;

/**
 * The answer to {@link Revoke}: what to revoke at the provider (either token may be null, e.g. while pending), and the
 * decision's sequence number that {@link RecordRevocation} quotes.
 */
public record RevocationDecision(long decidedAt, Sealed refreshToken, Sealed accessToken) {}
