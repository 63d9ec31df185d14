package dev.latchkey.query.connection;

import java.util.Optional;

/**
 * One connection as the view holds it: the public {@link ConnectionView}, the sealed tokens apart, and the
 * bookkeeping a caller needs to decide on a refresh.
 *
 * @param tokens null while the connection is pending its first tokens
 * @param sequence the sequence number of the last event of the connection applied to this row
 */
public record ConnectionRow(ConnectionView connection, ConnectionTokens tokens, RefreshState refresh, long sequence) {

    public Optional<ConnectionTokens> sealedTokens() {
        return Optional.ofNullable(tokens);
    }
}
