package dev.latchkey.domain.connection;

import dev.latchkey.domain.RuleViolation;

public class ConnectionRevokedException extends RuleViolation {

    public ConnectionRevokedException(ConnectionId id) {
        super("revoked", "connection " + id + " is revoked");
    }
}
