package dev.latchkey.app.connection;

import dev.latchkey.domain.secret.Secret;
import dev.latchkey.query.connection.ConnectionView;

/**
 * A connection as answered to a caller: its public fields and, for a logic function of its application, a fresh
 * access token (null otherwise, or when none can be handed out).
 *
 * @param credentialsError why a caller that may have the credentials gets none although the connection is active
 *     ({@link #APPLICATION_UNINSTALLED}, {@link #CREDENTIALS_UNREADABLE}); null otherwise
 */
public record ConnectionAnswer(ConnectionView connection, Secret accessToken, String credentialsError) {

    /** The connection's application is uninstalled: its tokens are being revoked and are never handed out again. */
    public static final String APPLICATION_UNINSTALLED = "application-uninstalled";

    /** The stored tokens cannot be unsealed (a data key shredded or a master key missing); the others still answer. */
    public static final String CREDENTIALS_UNREADABLE = "credentials-unreadable";

    public ConnectionAnswer(ConnectionView connection, Secret accessToken) {
        this(connection, accessToken, null);
    }
}
