package dev.latchkey.domain.connection;

import dev.latchkey.domain.secret.Sealed;

/**
 * What the exchange needs after a callback was accepted.
 *
 * @param decidedAt the sequence number of the {@link CallbackAccepted} event: the outcome is recorded against it
 * @param codeVerifier the sealed PKCE verifier, or null without PKCE
 */
public record CallbackDecision(long decidedAt, Sealed codeVerifier, String returnUrl) {}
