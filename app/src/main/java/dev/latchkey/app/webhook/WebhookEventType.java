package dev.latchkey.app.webhook;

import java.util.Optional;

/** The event types of API.md's webhooks, by their wire names. */
public enum WebhookEventType {
    CONNECTION_CREATED("connection.created"),
    CONNECTION_RECONNECTED("connection.reconnected"),
    CONNECTION_UPDATED("connection.updated"),
    CONNECTION_AUTH_FAILED("connection.auth_failed"),
    CONNECTION_RETRYING("connection.retrying"),
    CONNECTION_RECOVERED("connection.recovered"),
    CONNECTION_EXPIRING("connection.expiring"),
    CONNECTION_DELETED("connection.deleted"),
    APPLICATION_UNINSTALLED("application.uninstalled");

    private final String wire;

    WebhookEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<WebhookEventType> fromWire(String wire) {
        for (WebhookEventType type : values()) {
            if (type.wire.equals(wire)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
