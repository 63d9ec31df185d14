package dev.latchkey.app.authorization;

import dev.latchkey.app.crypto.ConnectionSecrets;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The single-use, five-minute tickets that {@code /apps/oauth/authorize} redeems. A ticket maps to the provider
 * URL (with the state) and the browser-binding value, both sealed; the ticket itself is stored only as a digest.
 */
@Component
public class AuthorizationTickets {

    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc;
    private final ConnectionSecrets secrets;
    private final Clock clock;

    public AuthorizationTickets(JdbcTemplate jdbc, ConnectionSecrets secrets, Clock clock) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
    }

    public record Issued(Secret ticket, Instant expiresAt) {}

    public record Redeemed(ConnectionId connectionId, URI providerUrl, Secret binding) {}

    public Issued issue(WorkspaceId workspace, ConnectionId connection, URI providerUrl, Secret binding) {
        Secret ticket = AuthorizationSecrets.random256();
        Instant expiresAt = clock.instant().plus(LIFETIME);
        Sealed url =
                secrets.seal(workspace, connection, SecretField.AUTHORIZATION_URL, Secret.of(providerUrl.toString()));
        Sealed cookie = secrets.seal(workspace, connection, SecretField.BROWSER_BINDING, binding);
        jdbc.update(
                """
                insert into authorization_ticket (ticket_digest, connection_id, workspace_id, provider_url_key_id,
                    provider_url_ciphertext, binding_key_id, binding_ciphertext, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                AuthorizationSecrets.digest(ticket),
                connection.value(),
                workspace.value(),
                url.keyId(),
                url.ciphertext(),
                cookie.keyId(),
                cookie.ciphertext(),
                Timestamp.from(expiresAt));
        return new Issued(ticket, expiresAt);
    }

    /** Marks the ticket used and answers what it stood for; empty when unknown, expired or already used. */
    public Optional<Redeemed> redeem(String ticket) {
        if (ticket == null || ticket.isBlank() || ticket.length() > 128) {
            return Optional.empty();
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Redeemed> rows = jdbc.query(
                """
                update authorization_ticket set redeemed_at = ?
                where ticket_digest = ? and redeemed_at is null and expires_at > ?
                returning connection_id, workspace_id, provider_url_key_id, provider_url_ciphertext,
                          binding_key_id, binding_ciphertext
                """,
                (rs, i) -> {
                    ConnectionId id = ConnectionId.of(rs.getString("connection_id"));
                    WorkspaceId workspace = WorkspaceId.of(rs.getString("workspace_id"));
                    Secret url = secrets.unseal(
                            workspace,
                            id,
                            SecretField.AUTHORIZATION_URL,
                            new Sealed(rs.getString("provider_url_key_id"), rs.getString("provider_url_ciphertext")));
                    Secret binding = secrets.unseal(
                            workspace,
                            id,
                            SecretField.BROWSER_BINDING,
                            new Sealed(rs.getString("binding_key_id"), rs.getString("binding_ciphertext")));
                    return new Redeemed(id, URI.create(url.reveal()), binding);
                },
                now,
                AuthorizationSecrets.digest(ticket),
                now);
        return rows.stream().findFirst();
    }

    /** Tickets are useless once expired; keep the table small. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public int deleteExpired() {
        return jdbc.update(
                "delete from authorization_ticket where expires_at < ?",
                Timestamp.from(clock.instant().minus(Duration.ofHours(1))));
    }
}
