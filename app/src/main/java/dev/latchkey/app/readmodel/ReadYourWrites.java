package dev.latchkey.app.readmodel;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * After a command, waits until the projections have applied the aggregate's latest event, so that the next read by
 * any caller reflects the command, while the projections themselves stay asynchronous. On the node that runs the
 * projection the wait ends as its batch commits ({@link ProjectionPositions}).
 */
@Component
public class ReadYourWrites {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

    private final JdbcTemplate jdbc;
    private final ProjectionPositions positions;

    public ReadYourWrites(JdbcTemplate jdbc, ProjectionPositions positions) {
        this.jdbc = jdbc;
        this.positions = positions;
    }

    public void awaitConnection(ConnectionId id) {
        await(ConnectionViewProjection.PROCESSING_GROUP, id.value());
    }

    public void awaitApplication(ApplicationId id) {
        await(ApplicationViewProjection.PROCESSING_GROUP, id.value());
    }

    private void await(String projection, String aggregateId) {
        // the aggregate's last event, by the (aggregate_identifier, sequence_number) key: one index entry, however long
        // its history (max(global_index) read every one of them)
        Long position = jdbc
                .query(
                        "select global_index from domain_event_entry where aggregate_identifier = ?"
                                + " order by sequence_number desc limit 1",
                        (rs, row) -> rs.getLong(1),
                        aggregateId)
                .stream()
                .findFirst()
                .orElse(null);
        if (position != null && !positions.awaitPosition(projection, position, TIMEOUT)) {
            log.warn("{} has not reached position {} after {}", projection, position, TIMEOUT);
        }
    }
}
