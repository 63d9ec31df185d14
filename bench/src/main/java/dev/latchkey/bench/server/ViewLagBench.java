package dev.latchkey.bench.server;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionViewProjection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Benchmark 8: how long after a command returns the connection view (the shared {@code connection_view} table) shows
 * its change, without the API's read-your-writes wait: a rename through the application's {@link CommandSender},
 * then the view's row read in a tight loop (one read every 0.5 ms) until it carries the new name.
 */
@Component
class ViewLagBench {

    private static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final CommandSender commands;
    private final JdbcTemplate jdbc;
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();

    ViewLagBench(CommandSender commands, JdbcTemplate jdbc) {
        this.commands = commands;
        this.jdbc = jdbc;
    }

    /** This node's name as Axon's token store records a claim, and who holds the view's segments now. */
    Map<String, Object> node() {
        Map<String, Object> node = new LinkedHashMap<>();
        String self = ManagementFactory.getRuntimeMXBean().getName();
        List<String> owners = jdbc.queryForList(
                "SELECT coalesce(owner, '') FROM token_entry WHERE processor_name = ? ORDER BY segment",
                String.class,
                ConnectionViewProjection.PROCESSING_GROUP);
        node.put("self", self);
        node.put("viewOwners", owners);
        node.put("ownsView", !owners.isEmpty() && owners.stream().allMatch(self::equals));
        return node;
    }

    /** One sample: the lag in milliseconds, or -1 when the view did not show the change within ten seconds. */
    Map<String, Object> sample(String connectionId, String workspace, String person) {
        ConnectionId id = ConnectionId.of(connectionId);
        String name = "Lag " + ProcessHandle.current().pid() + "-" + names.incrementAndGet();
        long pollsBefore = polls.get();
        commands.send(
                new RenameConnection(id, UserWorkspaceId.of(person), name),
                new Actor("bench:view-lag", WorkspaceId.of(workspace)));
        long returned = System.nanoTime();
        long deadline = returned + GIVE_UP.toNanos();
        double lag = -1;
        while (System.nanoTime() < deadline) {
            polls.incrementAndGet();
            String shown = jdbc.queryForObject(
                    "SELECT name FROM connection_view WHERE connection_id = ?", String.class, connectionId);
            if (Objects.equals(shown, name)) {
                lag = (System.nanoTime() - returned) / 1e6;
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return Map.of("millis", lag, "polls", polls.get() - pollsBefore);
    }
}
