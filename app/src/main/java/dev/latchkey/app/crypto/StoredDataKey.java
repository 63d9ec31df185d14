package dev.latchkey.app.crypto;

/**
 * A row of {@code data_key}.
 *
 * @param masterKeyId the master key that wrapped it; null once shredded
 * @param wrappedKey nonce ‖ AES-GCM ciphertext of the 256-bit key ‖ tag; null once shredded
 */
record StoredDataKey(String id, String owner, String masterKeyId, byte[] wrappedKey) {

    boolean shredded() {
        return wrappedKey == null;
    }

    @Override
    public String toString() {
        return "StoredDataKey[" + id + " of " + owner
                + (shredded() ? ", shredded]" : ", wrapped by " + masterKeyId + "]");
    }
}
