package dev.latchkey.app.crypto;

import dev.latchkey.domain.secret.UnsealFailedException;

/** The owner's data key was destroyed (its connection was revoked): what it sealed can never be opened again. */
public class DataKeyShreddedException extends UnsealFailedException {

    DataKeyShreddedException(String dataKeyId, String owner) {
        super("data key " + dataKeyId + " of " + owner + " was shredded");
    }
}
