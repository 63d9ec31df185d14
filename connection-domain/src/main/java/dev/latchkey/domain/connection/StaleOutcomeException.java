package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

/**
 * An exchange outcome arrived for a decision that is no longer open: a later one superseded it, it was answered
 * already, or the connection moved on (a new grant, auth-failed). Nothing was recorded.
 *
 * <p>When the refused outcome is a {@link RecordRefresh}, the provider did hand out tokens that the connection will
 * never hold, and they are kept nowhere else: the caller revokes them at the provider rather than dropping live
 * tokens silently. Only those the connection does not hold: a returned refresh token equal to the current one must
 * stay (at many providers revoking a refresh token ends the whole grant).
 */
public class StaleOutcomeException extends RuleViolation {

    public StaleOutcomeException(String message) {
        super("stale-outcome", message);
    }
}
