package dev.latchkey.domain.connection;

/** Everything that happens to a connection. A new event shows, through this list, every place that must learn it. */
public sealed interface ConnectionEvent
        permits AuthorizationStarted,
                ReconnectStarted,
                CallbackAccepted,
                AuthorizationFailed,
                ConnectionEstablished,
                RefreshStarted,
                TokensRefreshed,
                RefreshFailed,
                ConnectionAuthFailed,
                ConnectionRenamed,
                VisibilityChanged,
                RevocationStarted,
                ConnectionRevoked {

    ConnectionId connectionId();
}
