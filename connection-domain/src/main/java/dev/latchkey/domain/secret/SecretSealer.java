package dev.latchkey.domain.secret;

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
}
