package dev.latchkey.app.crypto;

import com.google.crypto.tink.Aead;
import dev.latchkey.domain.secret.Secret;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The master keys, each an AES-256-GCM key with an id, the first one current: it wraps new data keys, and a rotation
 * re-wraps every data key under it; the others only unwrap data keys wrapped before (and open values sealed directly
 * by them, from before data keys existed). Written {@code id:base64,id:base64}. Nothing here ever prints key
 * material: error messages name the entry's position or id, never its value.
 */
public final class MasterKeyring {

    static final int KEY_BYTES = AesGcm.KEY_BYTES;
    static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private final String currentId;
    private final Map<String, Aead> keys;

    private MasterKeyring(String currentId, Map<String, Aead> keys) {
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** @throws IllegalArgumentException when the text is not a list of {@code id:base64} AES-256 keys */
    public static MasterKeyring parse(Secret text) {
        String spec = text.reveal().strip();
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("master keys: none given (expected id:base64,…)");
        }
        Map<String, Aead> keys = new LinkedHashMap<>();
        String currentId = null;
        List<String> entries = List.of(spec.split(","));
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("master keys: entry " + (i + 1) + " is not id:base64");
            }
            String id = entry.substring(0, colon).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "master keys: the id of entry " + (i + 1) + " must match " + KEY_ID.pattern());
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("master keys: the id " + id + " is used twice");
            }
            keys.put(id, aead(id, decode(id, entry.substring(colon + 1).strip())));
            if (currentId == null) {
                currentId = id;
            }
        }
        return new MasterKeyring(currentId, keys);
    }

    /** The id of the key that seals. */
    public String currentId() {
        return currentId;
    }

    public List<String> ids() {
        return List.copyOf(keys.keySet());
    }

    Aead current() {
        return keys.get(currentId);
    }

    Optional<Aead> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /**
     * @param dataKeyId the data key that needs it, for the message
     * @throws MasterKeyMissingException naming both when the master key is not configured
     */
    Aead require(String id, String dataKeyId) {
        Aead key = keys.get(id);
        if (key == null) {
            throw new MasterKeyMissingException(id, dataKeyId, ids());
        }
        return key;
    }

    @Override
    public String toString() {
        return "MasterKeyring[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }

    private static byte[] decode(String id, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master keys: the key " + id + " is not valid Base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "master keys: the key " + id + " must be " + KEY_BYTES + " bytes (AES-256), not " + key.length);
        }
        return key;
    }

    private static Aead aead(String id, byte[] key) {
        try {
            return AesGcm.aead(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("master keys: the key " + id + " is not usable for AES-256-GCM");
        }
    }
}
