package dev.latchkey.app.connection;

import dev.latchkey.domain.secret.Secret;
import dev.latchkey.query.connection.ConnectionView;

/**
 * A connection as answered to a caller: its public fields and, for a logic function of its application, a fresh
 * access token (null otherwise, or when none can be handed out).
 */
public record ConnectionAnswer(ConnectionView connection, Secret accessToken) {}
