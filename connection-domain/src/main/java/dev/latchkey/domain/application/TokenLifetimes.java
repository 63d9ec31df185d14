package dev.latchkey.domain.application;

import java.time.Duration;

/**
 * What a provider's manifest says about its tokens' lives, beside what each token response says.
 *
 * @param defaultExpiresIn the access token's lifetime when a response gives no {@code expires_in}, or null
 * @param tokensExpire false when the provider's access tokens never expire (GitHub OAuth apps): they are then never
 *     refreshed by time, whatever a response says, only when a caller reports one failed
 * @param keepAlive refresh a grant at least this often, however long its access token lives (a provider that revokes
 *     refresh tokens left unused, as Google does after six months), or null
 */
public record TokenLifetimes(Duration defaultExpiresIn, boolean tokensExpire, Duration keepAlive) {

    public static final TokenLifetimes AS_EACH_RESPONSE_SAYS = new TokenLifetimes(null, true, null);

    /** @return the access token's lifetime, or null when it never expires (or nobody says when) */
    public Duration accessTokenLifetime(Duration expiresIn) {
        if (!tokensExpire) {
            return null;
        }
        return expiresIn != null ? expiresIn : defaultExpiresIn;
    }
}
