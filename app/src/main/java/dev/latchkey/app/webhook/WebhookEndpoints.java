package dev.latchkey.app.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.query.projection.SqlInstants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The webhook endpoints of each application, as a server admin manages them. A secret leaves only twice: in the
 * answer that creates the endpoint and in the answer of a rotation; it is stored sealed, and the previous one keeps
 * signing for {@link #ROTATION_OVERLAP} after a rotation.
 */
@Component
public class WebhookEndpoints {

    /** How long a rotated-out secret still signs beside the new one. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private static final String CURRENT = "current";
    private static final String PREVIOUS = "previous";
    private static final TypeReference<List<String>> TYPES = new TypeReference<>() {};

    /** An endpoint as the API shows it: never its secret. {@code eventTypes} null means every type. */
    public record Endpoint(
            String id,
            ApplicationId applicationId,
            String url,
            List<String> eventTypes,
            String description,
            boolean enabled,
            String disabledReason,
            Instant previousSecretUntil,
            Instant createdAt,
            Instant updatedAt) {}

    /** A new endpoint and its secret, shown once. */
    public record Created(Endpoint endpoint, Secret secret) {}

    /**
     * A change: each field given replaces the stored one; {@code eventTypesGiven} with null {@code eventTypes} means
     * every type.
     */
    public record Change(
            String url,
            boolean eventTypesGiven,
            List<String> eventTypes,
            boolean descriptionGiven,
            String description,
            Boolean enabled) {}

    private final JdbcTemplate jdbc;
    private final SecretSealer sealer;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookEndpoints(JdbcTemplate jdbc, SecretSealer sealer, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.json = json;
        this.clock = clock;
    }

    public Created create(ApplicationId application, String url, List<String> eventTypes, String description) {
        String id = "ep_" + UUID.randomUUID().toString().replace("-", "");
        Secret secret = WebhookSignature.newSecret();
        Sealed sealed = sealer.seal(secret, SealingContext.forWebhookEndpoint(id, CURRENT));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                """
                insert into webhook_endpoint (id, application_id, url, event_types, description, enabled,
                                              secret_key_id, secret_ciphertext, created_at, updated_at)
                values (?, ?, ?, ?::jsonb, ?, true, ?, ?, ?, ?)
                """,
                id,
                application.value(),
                url,
                typesJson(eventTypes),
                description,
                sealed.keyId(),
                sealed.ciphertext(),
                now,
                now);
        return new Created(find(application, id).orElseThrow(), secret);
    }

    public List<Endpoint> list(ApplicationId application) {
        return jdbc.query(
                "select * from webhook_endpoint where application_id = ? and uninstalled_at is null order by created_at, id",
                (rs, n) -> endpoint(rs),
                application.value());
    }

    public Optional<Endpoint> find(ApplicationId application, String id) {
        return jdbc
                .query(
                        "select * from webhook_endpoint where application_id = ? and id = ? and uninstalled_at is null",
                        (rs, n) -> endpoint(rs),
                        application.value(),
                        id)
                .stream()
                .findFirst();
    }

    /** @return the changed endpoint, empty when there is none */
    public Optional<Endpoint> change(ApplicationId application, String id, Change change) {
        Optional<Endpoint> found = find(application, id);
        if (found.isEmpty()) {
            return found;
        }
        Endpoint before = found.get();
        boolean enabled = change.enabled() == null ? before.enabled() : change.enabled();
        String disabledReason = enabled ? null : change.enabled() == null ? before.disabledReason() : "admin";
        jdbc.update(
                """
                update webhook_endpoint set url = ?, event_types = ?::jsonb, description = ?, enabled = ?,
                                            disabled_reason = ?, updated_at = ?
                where id = ?
                """,
                change.url() == null ? before.url() : change.url(),
                typesJson(change.eventTypesGiven() ? change.eventTypes() : before.eventTypes()),
                change.descriptionGiven() ? change.description() : before.description(),
                enabled,
                disabledReason,
                Timestamp.from(clock.instant()),
                id);
        return find(application, id);
    }

    /** Deletes the endpoint with its deliveries. */
    public boolean delete(ApplicationId application, String id) {
        return jdbc.update(
                        "delete from webhook_endpoint where application_id = ? and id = ? and uninstalled_at is null",
                        application.value(),
                        id)
                == 1;
    }

    /** A new current secret; the one it replaces signs beside it for {@link #ROTATION_OVERLAP}. */
    public Optional<Secret> rotate(ApplicationId application, String id) {
        Optional<Endpoint> found = find(application, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Sealed current = jdbc.queryForObject(
                "select secret_key_id, secret_ciphertext from webhook_endpoint where id = ?",
                (rs, n) -> new Sealed(rs.getString(1), rs.getString(2)),
                id);
        Secret previous = sealer.unseal(current, SealingContext.forWebhookEndpoint(id, CURRENT));
        Sealed previousResealed = sealer.seal(previous, SealingContext.forWebhookEndpoint(id, PREVIOUS));
        Secret secret = WebhookSignature.newSecret();
        Sealed sealed = sealer.seal(secret, SealingContext.forWebhookEndpoint(id, CURRENT));
        Instant now = clock.instant();
        jdbc.update(
                """
                update webhook_endpoint set secret_key_id = ?, secret_ciphertext = ?, previous_secret_key_id = ?,
                                            previous_secret_ciphertext = ?, previous_secret_until = ?, updated_at = ?
                where id = ?
                """,
                sealed.keyId(),
                sealed.ciphertext(),
                previousResealed.keyId(),
                previousResealed.ciphertext(),
                Timestamp.from(now.plus(ROTATION_OVERLAP)),
                Timestamp.from(now),
                id);
        return Optional.of(secret);
    }

    /** Where a delivery goes and the secrets that sign it. */
    record Target(String url, List<Secret> secrets) {}

    /** Secrets opened for signing, with the ciphertexts they came from: opened again only when those change. */
    private record Opened(Sealed current, Sealed previous, Secret currentSecret, Secret previousSecret) {}

    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    /**
     * Where to send a delivery at {@code now}, signed by the current secret and by the previous one within its
     * overlap; empty when the endpoint is gone. The endpoint's row is read every time (a rotation on any node
     * applies to the next attempt); its secrets are unsealed only when their ciphertexts changed.
     */
    Optional<Target> target(String id, Instant now) {
        Optional<Target> target = jdbc
                .query(
                        """
                        select url, secret_key_id, secret_ciphertext, previous_secret_key_id,
                               previous_secret_ciphertext, previous_secret_until
                        from webhook_endpoint where id = ?
                        """,
                        (rs, n) -> {
                            Sealed current =
                                    new Sealed(rs.getString("secret_key_id"), rs.getString("secret_ciphertext"));
                            Sealed previous = rs.getString("previous_secret_key_id") == null
                                    ? null
                                    : new Sealed(
                                            rs.getString("previous_secret_key_id"),
                                            rs.getString("previous_secret_ciphertext"));
                            Opened secrets = opened(id, current, previous);
                            Instant until = SqlInstants.get(rs, "previous_secret_until");
                            return new Target(
                                    rs.getString("url"),
                                    previous != null && until != null && now.isBefore(until)
                                            ? List.of(secrets.currentSecret(), secrets.previousSecret())
                                            : List.of(secrets.currentSecret()));
                        },
                        id)
                .stream()
                .findFirst();
        if (target.isEmpty()) {
            opened.remove(id);
        }
        return target;
    }

    private Opened opened(String id, Sealed current, Sealed previous) {
        Opened known = opened.get(id);
        if (known != null && known.current().equals(current) && java.util.Objects.equals(known.previous(), previous)) {
            return known;
        }
        Opened fresh = new Opened(
                current,
                previous,
                sealer.unseal(current, SealingContext.forWebhookEndpoint(id, CURRENT)),
                previous == null ? null : sealer.unseal(previous, SealingContext.forWebhookEndpoint(id, PREVIOUS)));
        opened.put(id, fresh);
        return fresh;
    }

    private Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(
                rs.getString("id"),
                ApplicationId.of(rs.getString("application_id")),
                rs.getString("url"),
                types(rs.getString("event_types")),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                SqlInstants.get(rs, "previous_secret_until"),
                SqlInstants.get(rs, "created_at"),
                SqlInstants.get(rs, "updated_at"));
    }

    private String typesJson(List<String> types) {
        if (types == null) {
            return null;
        }
        try {
            return json.writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> types(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, TYPES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook_endpoint.event_types is not a JSON array", e);
        }
    }
}
