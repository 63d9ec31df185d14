package dev.latchkey.app.crypto;

import com.google.crypto.tink.Aead;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys of envelope encryption: a random AES-256 key per key owner, created on its first seal and stored
 * only wrapped by the current master key, with the owner and the key's id as associated data (a wrapped key copied to
 * another row does not open).
 *
 * <p>Every use reads the key's row (one primary-key or unique-index lookup; one query for all the keys of an answer,
 * {@link #read(Collection)}), so a key shredded or re-wrapped on one node is seen by every node at once; what is cached, in a bounded LRU map, is only the unwrapped key, to spare the
 * unwrapping. A key's bytes never change for its id, so a cached key stays right across re-wrapping.
 */
class DataKeys {

    static final String ID_PREFIX = "dk:";

    private static final Logger log = LoggerFactory.getLogger(DataKeys.class);

    private final DataKeyStore store;
    private final MasterKeyring masterKeys;
    private final Map<String, Aead> unwrapped;
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();

    DataKeys(DataKeyStore store, MasterKeyring masterKeys, int cacheSize) {
        this.store = store;
        this.masterKeys = masterKeys;
        this.unwrapped = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Aead> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /** A data key: its id (what {@code Sealed.keyId} names) and the key. */
    record DataKey(String id, Aead aead) {}

    static boolean isDataKeyId(String keyId) {
        return keyId.startsWith(ID_PREFIX);
    }

    /**
     * The owner's data key, created and stored (wrapped by the current master key) when it has none.
     *
     * @throws DataKeyShreddedException when the owner's key was shredded: nothing is sealed for it any more
     */
    DataKey forSealing(String owner) {
        StoredDataKey stored = store.byOwner(owner).orElseGet(() -> create(owner));
        if (stored.shredded()) {
            throw new DataKeyShreddedException(stored.id(), owner);
        }
        return new DataKey(stored.id(), open(stored));
    }

    /**
     * The key named {@code id}, which must belong to {@code owner}.
     *
     * @throws UnsealFailedException when it is unknown, shredded, another owner's, or does not unwrap;
     *     {@link MasterKeyMissingException} when its master key is not configured
     */
    Aead forUnsealing(String id, String owner) {
        return forUnsealing(id, owner, store.byId(id));
    }

    /** The stored rows of these keys, read at once (for the values of one answer); unknown ids are left out. */
    Map<String, StoredDataKey> read(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : store.byIds(ids);
    }

    /**
     * As {@link #forUnsealing(String, String)}, with the key's row as {@link #read(Collection)} found it.
     *
     * @param read the row, or empty when there is none
     */
    Aead forUnsealing(String id, String owner, Optional<StoredDataKey> read) {
        StoredDataKey stored =
                read.orElseThrow(() -> new UnsealFailedException("no data key named " + id + " (unknown here)"));
        if (stored.shredded()) {
            unwrapped.remove(id);
            throw new DataKeyShreddedException(id, stored.owner());
        }
        if (!stored.owner().equals(owner)) {
            throw new UnsealFailedException(
                    "data key " + id + " belongs to " + stored.owner() + ", not to " + owner + ": the value was moved");
        }
        return open(stored);
    }

    /** Destroys the owner's data key on every node: its row becomes a tombstone. */
    String shred(String owner) {
        String id = store.shred(owner, newId());
        unwrapped.remove(id);
        return id;
    }

    /** Unwraps a live stored key, or takes it from the cache. */
    Aead open(StoredDataKey stored) {
        Aead cached = unwrapped.get(stored.id());
        if (cached != null) {
            return cached;
        }
        Aead aead = unwrap(stored);
        unwrapped.put(stored.id(), aead);
        return aead;
    }

    /** The key's bytes wrapped anew by the current master key (for a rotation). */
    byte[] rewrapped(StoredDataKey stored) {
        byte[] key = unwrapBytes(stored);
        try {
            return masterKeys.current().encrypt(key, wrappingContext(stored.id(), stored.owner()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping data key " + stored.id() + " failed");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private StoredDataKey create(String owner) {
        String id = newId();
        byte[] key = AesGcm.newKey();
        try {
            byte[] wrapped = masterKeys.current().encrypt(key, wrappingContext(id, owner));
            store.insertIfAbsent(new StoredDataKey(id, owner, masterKeys.currentId(), wrapped));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a new data key failed");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        // whoever inserted first, every node seals with the stored key
        return store.byOwner(owner)
                .orElseThrow(() -> new IllegalStateException("the data key of " + owner + " vanished as it was made"));
    }

    private Aead unwrap(StoredDataKey stored) {
        byte[] key = unwrapBytes(stored);
        try {
            return AesGcm.aead(key);
        } catch (GeneralSecurityException e) {
            throw new UnsealFailedException("data key " + stored.id() + " is not an AES-256 key");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] unwrapBytes(StoredDataKey stored) {
        Aead master;
        try {
            master = masterKeys.require(stored.masterKeyId(), stored.id());
        } catch (MasterKeyMissingException e) {
            if (reportedMissing.add(stored.masterKeyId())) {
                log.error("{}", e.getMessage());
            }
            throw e;
        }
        try {
            return master.decrypt(stored.wrappedKey(), wrappingContext(stored.id(), stored.owner()));
        } catch (GeneralSecurityException e) {
            // without the cause: nothing about the key travels further
            throw new UnsealFailedException("data key " + stored.id() + " does not unwrap with master key "
                    + stored.masterKeyId() + ": altered, or wrapped by another key of that name");
        }
    }

    private static byte[] wrappingContext(String id, String owner) {
        return ("latchkey-data-key;id=" + id + ";owner=" + owner).getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        return ID_PREFIX + UUID.randomUUID();
    }
}
