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
     * A sealer for unsealing these values, the values of one answer: what it needs to open them is read once, here,
     * for all of them, and its unseals are as current as that read. This one (the default) reads at every unseal.
     */
    default SecretSealer opening(Collection<Sealed> values) {
        return this;
    }
}
