package dev.latchkey.domain.secret;

import java.util.Objects;

/**
 * A secret as it is stored: authenticated ciphertext and the id of the key that sealed it. Events and read
 * models hold these, never the plaintext. {@code toString()} names the key and leaves the ciphertext out.
 *
 * @param keyId the data key that sealed the value (rotation and crypto-shredding act on it)
 * @param ciphertext Base64 of nonce and AES-GCM ciphertext with its tag
 */
public record Sealed(String keyId, String ciphertext) {

    public Sealed {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + "]";
    }
}
