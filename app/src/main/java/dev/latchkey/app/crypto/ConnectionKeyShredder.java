package dev.latchkey.app.crypto;

import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevoked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crypto-shredding: when a connection is revoked (after the provider revocation was attempted), its data key is
 * destroyed, so none of its secrets (tokens, verifier, token response, ticket values) can be opened again, while its
 * history stays readable. Runs in a subscribing processor with a propagating error handler: in the Revoke command's
 * own transaction, so a connection is never recorded revoked with its key left in place.
 */
@ProcessingGroup(ConnectionKeyShredder.PROCESSING_GROUP)
class ConnectionKeyShredder {

    static final String PROCESSING_GROUP = "crypto-shredding";

    private static final Logger log = LoggerFactory.getLogger(ConnectionKeyShredder.class);

    private final DataKeys dataKeys;

    ConnectionKeyShredder(DataKeys dataKeys) {
        this.dataKeys = dataKeys;
    }

    @EventHandler
    void on(ConnectionRevoked event) {
        String id = dataKeys.shred(keyOwner(event.connectionId()));
        log.info("connection {} revoked: its data key {} is shredded", event.connectionId(), id);
    }

    /** The key owner of {@code SealingContext.forConnection} (pinned by a test). */
    static String keyOwner(ConnectionId connection) {
        return "connection:" + connection.value();
    }
}
