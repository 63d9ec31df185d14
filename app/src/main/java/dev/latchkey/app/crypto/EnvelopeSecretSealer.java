package dev.latchkey.app.crypto;

import com.google.crypto.tink.Aead;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Envelope encryption: each value is sealed with AES-256-GCM (a random 96-bit nonce, the context's associated data
 * authenticated) under the data key of its context's key owner, and {@link Sealed#keyId()} names that data key
 * ({@code dk:<uuid>}). The data keys are stored wrapped by a master key ({@link DataKeys}), so master keys rotate by
 * re-wrapping and a connection's secrets are destroyed by shredding its data key.
 *
 * <p>A value moved to another connection, field or variable does not open: its associated data differs, and a data
 * key opens only for its own owner. Values sealed directly by a master key (before data keys existed; their keyId is
 * the master key's id, which never contains a colon) still open while that master key is configured.
 */
public final class EnvelopeSecretSealer implements SecretSealer {

    private static final String CONNECTION_OWNER = "connection:";

    private final DataKeys dataKeys;
    private final MasterKeyring masterKeys;

    EnvelopeSecretSealer(DataKeys dataKeys, MasterKeyring masterKeys) {
        this.dataKeys = dataKeys;
        this.masterKeys = masterKeys;
    }

    /**
     * @throws ConnectionRevokedException when the context is a revoked connection's (its data key was shredded)
     */
    @Override
    public Sealed seal(Secret secret, SealingContext context) {
        return seal(secret, context, sealingKey(context.keyOwner()));
    }

    /**
     * The owner's data key for sealing.
     *
     * @throws ConnectionRevokedException when the owner is a revoked connection's (its data key was shredded)
     */
    private DataKeys.DataKey sealingKey(String owner) {
        try {
            return dataKeys.forSealing(owner);
        } catch (DataKeyShreddedException e) {
            if (owner.startsWith(CONNECTION_OWNER)) {
                // SealingContext.forConnection's owner: the one way a key is shredded is its connection's revocation
                throw new ConnectionRevokedException(ConnectionId.of(owner.substring(CONNECTION_OWNER.length())));
            }
            throw e;
        }
    }

    private static Sealed seal(Secret secret, SealingContext context, DataKeys.DataKey key) {
        try {
            byte[] ciphertext = key.aead().encrypt(secret.utf8(), associatedData(context));
            return new Sealed(key.id(), Base64.getEncoder().encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with data key " + key.id() + " failed");
        }
    }

    @Override
    public Secret unseal(Sealed sealed, SealingContext context) {
        return unseal(
                sealed,
                context,
                DataKeys.isDataKeyId(sealed.keyId())
                        ? dataKeys.forUnsealing(sealed.keyId(), context.keyOwner())
                        : masterKey(sealed));
    }

    /**
     * Reads the data keys of all these values in one query (a list of twenty connections costs one, not twenty), and
     * each owner's sealing key once (the three values of a grant cost one).
     */
    @Override
    public SecretSealer forOneUse(Collection<Sealed> toUnseal) {
        Map<String, StoredDataKey> read = dataKeys.read(toUnseal.stream()
                .map(Sealed::keyId)
                .filter(DataKeys::isDataKeyId)
                .collect(Collectors.toSet()));
        Map<String, DataKeys.DataKey> sealingKeys = new HashMap<>();
        EnvelopeSecretSealer outer = this;
        return new SecretSealer() {
            @Override
            public Sealed seal(Secret secret, SealingContext context) {
                DataKeys.DataKey key = sealingKeys.get(context.keyOwner());
                if (key == null) {
                    key = outer.sealingKey(context.keyOwner());
                    sealingKeys.put(context.keyOwner(), key);
                }
                return EnvelopeSecretSealer.seal(secret, context, key);
            }

            @Override
            public Secret unseal(Sealed sealed, SealingContext context) {
                String id = sealed.keyId();
                if (!DataKeys.isDataKeyId(id)) {
                    return outer.unseal(sealed, context, outer.masterKey(sealed));
                }
                // a key not among those read at the start is read now, as by the sealer itself
                Aead aead = read.containsKey(id)
                        ? dataKeys.forUnsealing(id, context.keyOwner(), Optional.of(read.get(id)))
                        : dataKeys.forUnsealing(id, context.keyOwner());
                return outer.unseal(sealed, context, aead);
            }
        };
    }

    private Aead masterKey(Sealed sealed) {
        return masterKeys
                .find(sealed.keyId())
                .orElseThrow(() -> new UnsealFailedException("no key named " + sealed.keyId()));
    }

    private Secret unseal(Sealed sealed, SealingContext context, Aead aead) {
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
        return "EnvelopeSecretSealer[" + masterKeys + "]";
    }
}
