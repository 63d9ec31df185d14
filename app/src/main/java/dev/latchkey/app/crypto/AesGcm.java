package dev.latchkey.app.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Tink's AES-256-GCM, as every key of Latchkey uses it (master keys and data keys alike): a random 96-bit nonce per
 * message and a 128-bit tag, without Tink's key prefix, so a ciphertext is nonce ‖ ciphertext ‖ tag.
 */
final class AesGcm {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;

    private static final AesGcmParameters AES_256_GCM = parameters();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcm() {}

    /** @throws GeneralSecurityException when the bytes are not an AES-256 key */
    static Aead aead(byte[] key) throws GeneralSecurityException {
        return AesGcmJce.create(AesGcmKey.builder()
                .setParameters(AES_256_GCM)
                .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                .build());
    }

    /** 256 random bits. */
    static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static AesGcmParameters parameters() {
        try {
            return AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setIvSizeBytes(NONCE_BYTES)
                    .setTagSizeBytes(TAG_BYTES)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM parameters rejected", e);
        }
    }
}
