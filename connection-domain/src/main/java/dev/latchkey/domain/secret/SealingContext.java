package dev.latchkey.domain.secret;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.Objects;

/**
 * Where a sealed value belongs. {@code keyOwner} selects the data key (one per connection, one per application);
 * {@code associatedData} is authenticated with the ciphertext, so a value moved to another connection or field
 * fails to unseal.
 */
public record SealingContext(String keyOwner, String associatedData) {

    public SealingContext {
        Objects.requireNonNull(keyOwner, "keyOwner");
        Objects.requireNonNull(associatedData, "associatedData");
    }

    public static SealingContext forConnection(WorkspaceId workspace, ConnectionId connection, SecretField field) {
        return new SealingContext(
                "connection:" + connection.value(),
                "workspace=" + workspace.value() + ";connection=" + connection.value() + ";field=" + field.name());
    }

    public static SealingContext forServerVariable(ApplicationId application, String variable) {
        return new SealingContext(
                "application:" + application.value(), "application=" + application.value() + ";variable=" + variable);
    }

    /**
     * A webhook endpoint's signing secret: each endpoint has its own data key, shredded when the endpoint is deleted.
     *
     * @param slot {@code current} or {@code previous} (the one kept for the overlap after a rotation)
     */
    public static SealingContext forWebhookEndpoint(String endpointId, String slot) {
        return new SealingContext(
                "webhook-endpoint:" + endpointId, "webhookEndpoint=" + endpointId + ";secret=" + slot);
    }
}
