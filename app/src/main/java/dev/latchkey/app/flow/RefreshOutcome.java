package dev.latchkey.app.flow;

import java.time.Instant;

/** How a refresh attempt ended, for the caller deciding what to answer. */
public sealed interface RefreshOutcome {

    /** New tokens were recorded (by this node or, while it waited, by another). */
    record Refreshed() implements RefreshOutcome {}

    /** The token was fresh enough; nothing was done. */
    record NotNeeded() implements RefreshOutcome {}

    /** The provider refused the grant for good, or the connection already was auth-failed. */
    record AuthFailed(String reason) implements RefreshOutcome {}

    /** The provider failed transiently or the app's OAuth client is misconfigured: nothing changed. */
    record Unavailable(String reason, Instant retryAfter) implements RefreshOutcome {}

    /** A forced refresh came too soon after the last refresh decision of this connection; try at {@code retryAt}. */
    record Throttled(Instant retryAt) implements RefreshOutcome {}

    /** There is nothing to refresh with (pending, or no refresh token was issued). */
    record NotRefreshable(String why) implements RefreshOutcome {}
}
