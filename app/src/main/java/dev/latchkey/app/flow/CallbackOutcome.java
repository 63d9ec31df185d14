package dev.latchkey.app.flow;

import dev.latchkey.domain.connection.ConnectionId;

/**
 * How a provider callback ended, for the browser.
 *
 * @param connectionId null when the callback could not be tied to a connection
 * @param returnUrl the allow-listed URL recorded when the flow started, or null for the built-in page
 * @param error null on success; an OAuth error code or a short reason otherwise
 * @param badRequest the callback itself was bad (unknown, expired, replayed or unbound state): nothing changed
 */
public record CallbackOutcome(ConnectionId connectionId, String returnUrl, String error, boolean badRequest) {

    public static CallbackOutcome rejected(String reason) {
        return new CallbackOutcome(null, null, reason, true);
    }

    public boolean succeeded() {
        return error == null;
    }
}
