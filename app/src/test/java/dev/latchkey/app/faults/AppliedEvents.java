package dev.latchkey.app.faults;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection that is NOT idempotent on purpose: one row per event it applies, in the transaction that moves its
 * token. An event applied twice shows as two rows, an event lost as none.
 */
@ProcessingGroup(AppliedEvents.PROCESSING_GROUP)
public class AppliedEvents {

    public static final String PROCESSING_GROUP = "fault-probe";

    private final JdbcTemplate jdbc;

    public AppliedEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(Object event, EventMessage<?> message) {
        jdbc.update("insert into probe.applied (event_identifier) values (?)", message.getIdentifier());
    }
}
