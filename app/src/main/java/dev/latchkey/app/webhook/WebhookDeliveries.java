package dev.latchkey.app.webhook;

import dev.latchkey.query.projection.SqlInstants;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The deliveries log of an endpoint, and redelivery. */
@Component
public class WebhookDeliveries {

    public static final List<String> STATUSES = List.of("pending", "delivered", "failed");

    public record Attempt(Instant at, Integer statusCode, String error, long durationMs) {}

    public record Delivery(
            String id,
            String webhookId,
            String eventType,
            String connectionId,
            String status,
            Instant nextAttemptAt,
            Instant createdAt,
            List<Attempt> attempts) {}

    private final JdbcTemplate jdbc;
    private final WebhookDispatcher dispatcher;
    private final Clock clock;

    public WebhookDeliveries(JdbcTemplate jdbc, WebhookDispatcher dispatcher, Clock clock) {
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** The endpoint's deliveries, newest first, each with its attempts; {@code status} null for every status. */
    public List<Delivery> list(String endpointId, String status, int limit) {
        Map<Long, Delivery> bySeq = new LinkedHashMap<>();
        jdbc.query(
                """
                select seq, id, webhook_id, event_type, connection_id, status, next_attempt_at, created_at
                from webhook_delivery where endpoint_id = ? and (cast(? as varchar) is null or status = ?)
                order by seq desc limit ?
                """,
                rs -> {
                    bySeq.put(
                            rs.getLong("seq"),
                            new Delivery(
                                    rs.getString("id"),
                                    rs.getString("webhook_id"),
                                    rs.getString("event_type"),
                                    rs.getString("connection_id"),
                                    rs.getString("status"),
                                    SqlInstants.get(rs, "next_attempt_at"),
                                    SqlInstants.get(rs, "created_at"),
                                    new ArrayList<>()));
                },
                endpointId,
                status,
                status,
                limit);
        if (bySeq.isEmpty()) {
            return List.of();
        }
        jdbc.query(
                "select delivery_seq, at, status_code, error, duration_ms from webhook_attempt"
                        + " where delivery_seq = any(?) order by delivery_seq, attempt",
                rs -> {
                    Integer code = rs.getObject("status_code", Integer.class);
                    bySeq.get(rs.getLong("delivery_seq"))
                            .attempts()
                            .add(new Attempt(
                                    SqlInstants.get(rs, "at"), code, rs.getString("error"), rs.getLong("duration_ms")));
                },
                (Object) bySeq.keySet().toArray(Long[]::new));
        return List.copyOf(bySeq.values());
    }

    /**
     * One attempt now, with the same {@code webhook-id} and body, whatever the delivery's status: a finished one
     * ends delivered or failed again after it, a pending one goes on with its schedule.
     *
     * @return false when the endpoint has no such delivery
     */
    public boolean redeliver(String endpointId, String deliveryId) {
        Timestamp now = Timestamp.from(clock.instant());
        int changed = jdbc.update("""
                update webhook_delivery set single_attempt = (status <> 'pending'), status = 'pending',
                                            next_attempt_at = ?, updated_at = ?
                where endpoint_id = ? and id = ?
                """, now, now, endpointId, deliveryId);
        if (changed == 1) {
            dispatcher.wake();
        }
        return changed == 1;
    }
}
