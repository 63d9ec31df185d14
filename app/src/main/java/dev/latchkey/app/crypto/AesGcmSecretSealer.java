package dev.latchkey.app.crypto;

import com.google.crypto.tink.Aead;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Seals secrets with AES-256-GCM under the current master key (Tink's AES-GCM: a random 96-bit nonce per value),
 * authenticating the context's associated data. {@link Sealed#keyId()} names the master key, so older keys still
 * open what they sealed after a rotation. A later step puts a data key per connection between the two; the shape of
 * {@link Sealed} stays as it is.
 */
public final class AesGcmSecretSealer implements SecretSealer {

    private final MasterKeyring keys;

    public AesGcmSecretSealer(MasterKeyring keys) {
        this.keys = keys;
    }

    @Override
    public Sealed seal(Secret secret, SealingContext context) {
        try {
            byte[] ciphertext = keys.current().encrypt(secret.utf8(), associatedData(context));
            return new Sealed(keys.currentId(), Base64.getEncoder().encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with key " + keys.currentId() + " failed", e);
        }
    }

    @Override
    public Secret unseal(Sealed sealed, SealingContext context) {
        Aead aead = keys.find(sealed.keyId())
                .orElseThrow(() -> new UnsealFailedException("no key named " + sealed.keyId()));
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new UnsealFailedException("the value sealed with key " + sealed.keyId() + " is not Base64");
        }
        try {
            byte[] plaintext = aead.decrypt(ciphertext, associatedData(context));
            return Secret.of(new String(plaintext, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // deliberately without the cause: nothing about the value travels further
            throw new UnsealFailedException("the value sealed with key " + sealed.keyId()
                    + " does not open here: altered, or sealed for another context");
        }
    }

    private static byte[] associatedData(SealingContext context) {
        return context.associatedData().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AesGcmSecretSealer[" + keys + "]";
    }
}
