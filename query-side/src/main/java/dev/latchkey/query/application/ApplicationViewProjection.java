package dev.latchkey.query.application;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationInstalled;
import dev.latchkey.domain.application.ApplicationUninstalled;
import dev.latchkey.domain.application.ManifestUpdated;
import dev.latchkey.domain.application.ServerVariableSet;
import dev.latchkey.domain.application.ServerVariableUnset;
import dev.latchkey.query.projection.Applied;
import dev.latchkey.query.projection.BatchPerUnitOfWork;
import dev.latchkey.query.projection.OrderedWrites;
import dev.latchkey.query.projection.ProjectionPositions;
import dev.latchkey.query.projection.RefusedSequences;
import dev.latchkey.query.projection.SqlInstants;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds {@code application_view} and {@code application_variable}: the installed manifest and which server
 * variables have a (sealed) value. Run it in a pooled streaming processor; {@link ResetHandler} empties it for a
 * replay. Each write happens only when the row has not yet seen the event's sequence number, so redeliveries
 * change nothing. An uninstalled application keeps its row, marked not installed and without values, as the
 * aggregate does: it can be installed again.
 *
 * <p>It handles application events only: a connection's event costs it no transaction, and its position is that of
 * the last application event applied, which is what a caller waits for after an application command.
 */
@ProcessingGroup(ApplicationViewProjection.PROCESSING_GROUP)
public class ApplicationViewProjection {

    public static final String PROCESSING_GROUP = "application-view";

    private final JdbcTemplate jdbc;
    private final ProjectionPositions positions;
    private final RefusedSequences refused = new RefusedSequences();

    public ApplicationViewProjection(JdbcTemplate jdbc, ProjectionPositions positions) {
        this.jdbc = jdbc;
        this.positions = positions;
    }

    @EventHandler
    public void on(ApplicationInstalled event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        write(event.applicationId().value(), message, applied, () -> {
            int changed = jdbc.update("""
                    INSERT INTO application_view (application_id, display_name, manifest, installed, installed_at,
                                                  updated_at, last_sequence, last_position)
                    VALUES (?, ?, ?::jsonb, true, ?, ?, ?, ?)
                    ON CONFLICT (application_id) DO UPDATE
                        SET display_name = EXCLUDED.display_name, manifest = EXCLUDED.manifest, installed = true,
                            installed_at = EXCLUDED.installed_at, updated_at = EXCLUDED.updated_at,
                            last_sequence = EXCLUDED.last_sequence, last_position = EXCLUDED.last_position
                        WHERE application_view.last_sequence < EXCLUDED.last_sequence
                    """, ps -> {
                ps.setString(1, event.applicationId().value());
                ps.setString(2, event.manifest().displayName());
                ps.setString(3, ManifestJson.write(event.manifest()));
                SqlInstants.set(ps, 4, applied.at());
                SqlInstants.set(ps, 5, applied.at());
                ps.setLong(6, applied.sequence());
                ps.setLong(7, applied.position());
            });
            if (changed > 0) {
                forgetValues(event.applicationId());
            }
        });
    }

    @EventHandler
    public void on(ManifestUpdated event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        write(event.applicationId().value(), message, applied, () -> {
            int changed = jdbc.update("""
                    UPDATE application_view
                    SET display_name = ?, manifest = ?::jsonb, updated_at = ?, last_sequence = ?, last_position = ?
                    WHERE application_id = ? AND last_sequence < ?
                    """, ps -> {
                ps.setString(1, event.manifest().displayName());
                ps.setString(2, ManifestJson.write(event.manifest()));
                SqlInstants.set(ps, 3, applied.at());
                ps.setLong(4, applied.sequence());
                ps.setLong(5, applied.position());
                ps.setString(6, event.applicationId().value());
                ps.setLong(7, applied.sequence());
            });
            if (changed > 0 && !event.droppedVariables().isEmpty()) {
                jdbc.update("DELETE FROM application_variable WHERE application_id = ? AND name = ANY (?)", ps -> {
                    ps.setString(1, event.applicationId().value());
                    ps.setArray(
                            2,
                            ps.getConnection()
                                    .createArrayOf(
                                            "text", event.droppedVariables().toArray()));
                });
            }
        });
    }

    @EventHandler
    public void on(ServerVariableSet event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        write(event.applicationId().value(), message, applied, () -> {
            if (advance(event.applicationId(), applied)) {
                jdbc.update("""
                        INSERT INTO application_variable (application_id, name, key_id, ciphertext, set_at)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (application_id, name) DO UPDATE
                            SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext, set_at = EXCLUDED.set_at
                        """, ps -> {
                    ps.setString(1, event.applicationId().value());
                    ps.setString(2, event.name());
                    ps.setString(3, event.value().keyId());
                    ps.setString(4, event.value().ciphertext());
                    SqlInstants.set(ps, 5, applied.at());
                });
            }
        });
    }

    @EventHandler
    public void on(ServerVariableUnset event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        write(event.applicationId().value(), message, applied, () -> {
            if (advance(event.applicationId(), applied)) {
                jdbc.update(
                        "DELETE FROM application_variable WHERE application_id = ? AND name = ?",
                        event.applicationId().value(),
                        event.name());
            }
        });
    }

    @EventHandler
    public void on(ApplicationUninstalled event, DomainEventMessage<?> message) {
        Applied applied = Applied.of(message);
        write(event.applicationId().value(), message, applied, () -> {
            int changed = jdbc.update("""
                    UPDATE application_view SET installed = false, updated_at = ?, last_sequence = ?, last_position = ?
                    WHERE application_id = ? AND last_sequence < ?
                    """, ps -> {
                SqlInstants.set(ps, 1, applied.at());
                ps.setLong(2, applied.sequence());
                ps.setLong(3, applied.position());
                ps.setString(4, event.applicationId().value());
                ps.setLong(5, applied.sequence());
            });
            if (changed > 0) {
                forgetValues(event.applicationId());
            }
        });
    }

    @ResetHandler
    public void reset() {
        jdbc.execute("TRUNCATE application_variable, application_view");
        positions.forget(PROCESSING_GROUP);
        refused.clear();
    }

    /** Moves the row to the event's sequence number; false when the row has seen it already (or is unknown). */
    private boolean advance(ApplicationId id, Applied applied) {
        return jdbc.update("""
                        UPDATE application_view SET updated_at = ?, last_sequence = ?, last_position = ?
                        WHERE application_id = ? AND last_sequence < ?
                        """, ps -> {
                    SqlInstants.set(ps, 1, applied.at());
                    ps.setLong(2, applied.sequence());
                    ps.setLong(3, applied.position());
                    ps.setString(4, id.value());
                    ps.setLong(5, applied.sequence());
                })
                > 0;
    }

    private void forgetValues(ApplicationId id) {
        jdbc.update("DELETE FROM application_variable WHERE application_id = ?", id.value());
    }

    private void write(String application, EventMessage<?> message, Applied applied, Runnable write) {
        refused.check(application, message);
        batch(batch -> batch.add(application, applied, write));
    }

    private void batch(Consumer<OrderedWrites> change) {
        BatchPerUnitOfWork.record(this, () -> new OrderedWrites(PROCESSING_GROUP, jdbc, positions, refused), change);
    }
}
