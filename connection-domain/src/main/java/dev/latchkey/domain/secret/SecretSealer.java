package dev.latchkey.domain.secret;

import java.util.Collection;

/**
 * The domain port for sealing secrets. Application services seal before they send a command, so aggregates and
 * events only ever see {@link Sealed} values.
 */
public interface SecretSealer {

    Sealed seal(Secret secret, SealingContext context);

    /**
     * @throws UnsealFailedException when the key is gone (shredded or unknown) or the value was tampered with
     *     or moved to another context
     */
    Secret unseal(Sealed sealed, SealingContext context);

    /**
     * A sealer for one use (one answer, one grant; not to be kept): the keys to open {@code toUnseal} are read once,
     * here, for all of them, and the key each owner seals with once, at its first seal. What it does is as current
     * as those reads. This one (the default) reads at every call.
     */
    default SecretSealer forOneUse(Collection<Sealed> toUnseal) {
        return this;
    }
}
