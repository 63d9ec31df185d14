package dev.latchkey.app.crypto;

import dev.latchkey.domain.secret.UnsealFailedException;
import java.util.List;

/**
 * A data key is wrapped by a master key that {@code latchkey.master-keys} does not hold (removed before a rotation
 * re-wrapped everything, or a node started with the wrong keys). Loud on purpose: it names both keys.
 */
public class MasterKeyMissingException extends UnsealFailedException {

    private final String masterKeyId;

    MasterKeyMissingException(String masterKeyId, String dataKeyId, List<String> configured) {
        super("data key " + dataKeyId + " is wrapped by master key " + masterKeyId
                + ", which latchkey.master-keys (LATCHKEY_MASTER_KEYS) does not hold (it holds " + configured
                + "): configure it again, then rotate before removing it");
        this.masterKeyId = masterKeyId;
    }

    public String masterKeyId() {
        return masterKeyId;
    }
}
