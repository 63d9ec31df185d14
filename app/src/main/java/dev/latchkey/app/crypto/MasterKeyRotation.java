package dev.latchkey.app.crypto;

import dev.latchkey.domain.secret.UnsealFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-wraps every live data key under the current master key, online: in batches, each key replaced by one
 * compare-and-set update, so the application keeps sealing and unsealing meanwhile (a key read before or after its
 * re-wrap opens either way while the old master key is still configured), and rotations on several nodes at once
 * re-wrap each key once. A key that cannot be re-wrapped (its master key is not configured, or it does not unwrap) is
 * left as it is and reported.
 */
public class MasterKeyRotation {

    static final int BATCH = 200;
    static final int MAX_FAILURES_LISTED = 100;

    private final DataKeyStore store;
    private final DataKeys dataKeys;
    private final MasterKeyring masterKeys;

    MasterKeyRotation(DataKeyStore store, DataKeys dataKeys, MasterKeyring masterKeys) {
        this.store = store;
        this.dataKeys = dataKeys;
        this.masterKeys = masterKeys;
    }

    /**
     * What a rotation did, and where the data keys stand after it.
     *
     * @param rewrapped data keys re-wrapped by this run
     * @param failed data keys this run could not re-wrap (the first {@value #MAX_FAILURES_LISTED} are listed)
     * @param liveDataKeysByMasterKey how many live data keys each master key wraps, after the run
     * @param removableMasterKeyIds configured master keys that wrap no data key any more (values sealed directly by a
     *     master key, from before data keys existed, are not counted: there are none in production)
     * @param complete every live data key is wrapped by the current master key
     */
    public record Report(
            String currentMasterKeyId,
            int rewrapped,
            int failed,
            List<Failure> failures,
            Map<String, Long> liveDataKeysByMasterKey,
            long shreddedDataKeys,
            List<String> removableMasterKeyIds,
            boolean complete) {}

    public record Failure(String dataKeyId, String masterKeyId, String reason) {}

    public Report rotate() {
        String current = masterKeys.currentId();
        int rewrapped = 0;
        int failed = 0;
        List<Failure> failures = new ArrayList<>();
        String after = "";
        List<StoredDataKey> batch;
        do {
            batch = store.wrappedByOtherThan(current, after, BATCH);
            for (StoredDataKey key : batch) {
                after = key.id();
                try {
                    if (store.rewrap(key, current, dataKeys.rewrapped(key))) {
                        rewrapped++;
                    }
                    // else shredded or re-wrapped by another node meanwhile: nothing left to do
                } catch (UnsealFailedException e) {
                    failed++;
                    if (failures.size() < MAX_FAILURES_LISTED) {
                        failures.add(new Failure(key.id(), key.masterKeyId(), e.getMessage()));
                    }
                }
            }
        } while (batch.size() == BATCH);
        return report(current, rewrapped, failed, failures);
    }

    private Report report(String current, int rewrapped, int failed, List<Failure> failures) {
        Map<String, Long> byMasterKey = store.liveKeysByMasterKey();
        List<String> removable = masterKeys.ids().stream()
                .filter(id -> !id.equals(current) && !byMasterKey.containsKey(id))
                .toList();
        boolean complete = byMasterKey.keySet().stream().allMatch(current::equals);
        return new Report(
                current,
                rewrapped,
                failed,
                List.copyOf(failures),
                byMasterKey,
                store.shreddedKeys(),
                removable,
                complete);
    }
}
