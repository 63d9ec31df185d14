package dev.latchkey.bench.server;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.bench.server.ConnectionSeeder.Owner;
import dev.latchkey.domain.audit.AuditMetadata;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRenamed;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.StartAuthorization;
import dev.latchkey.domain.connection.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Benchmark 3: events appended by commands ({@code StartAuthorization} creates a Connection, {@code RenameConnection}
 * updates one) against plain JDBC inserts of the same rows into a copy of the event table, one insert per
 * transaction.
 */
@Component
class AppendBench {

    enum Kind {
        AXON_CREATE,
        AXON_UPDATE,
        JDBC_CREATE,
        JDBC_UPDATE
    }

    private static final String INSERT = """
        INSERT INTO bench_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
            type, time_stamp, payload_type, payload_revision, payload, meta_data)
        VALUES (nextval('bench_event_entry_seq'), ?, ?, ?, 'Connection', ?, ?, NULL, ?, ?)\
        """;

    private final CommandSender commands;
    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final Clock clock;
    private final Meter meter;
    /** Connections the create runs made: the update runs rename them, round robin. */
    private final List<ConnectionId> created = new CopyOnWriteArrayList<>();

    private final AtomicLong renames = new AtomicLong();
    private final AtomicLong cursor = new AtomicLong();

    AppendBench(
            CommandSender commands,
            EventProcessingConfiguration processing,
            JdbcTemplate jdbc,
            @Qualifier("eventSerializer") Serializer serializer,
            Clock clock,
            Meter meter) {
        this.meter = meter;
        this.commands = commands;
        this.processing = processing;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.clock = clock;
    }

    /** The baseline's table: the event table's columns, constraints and indexes, and a sequence of its own. */
    void prepareBaseline() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS bench_event_entry (LIKE domain_event_entry INCLUDING ALL)");
        jdbc.execute("CREATE SEQUENCE IF NOT EXISTS bench_event_entry_seq INCREMENT BY 1");
    }

    /**
     * @param paused with every streaming processor shut down for the window (started again after it): the append
     *     alone, without the views, processes and webhooks applying the same events on the same two cores
     */
    Map<String, Object> run(Kind kind, Owner owner, int callers, Duration duration, boolean paused) throws Exception {
        if (!paused) {
            return run(kind, owner, callers, duration);
        }
        List<StreamingEventProcessor> stopped = processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::isRunning)
                .toList();
        stopped.forEach(StreamingEventProcessor::shutDown);
        try {
            return run(kind, owner, callers, duration);
        } finally {
            stopped.forEach(StreamingEventProcessor::start);
        }
    }

    Map<String, Object> run(Kind kind, Owner owner, int callers, Duration duration) throws Exception {
        if (kind == Kind.AXON_UPDATE && created.isEmpty()) {
            throw new IllegalStateException("run a create first: updates rename what creates made");
        }
        Operation operation = operation(kind, owner);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            Meter.Reading before = meter.read();
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(threads.submit(() -> {
                    long done = 0;
                    long failed = 0;
                    Caller caller = new Caller();
                    while (System.nanoTime() < end) {
                        try {
                            operation.run(caller);
                            done++;
                        } catch (RuntimeException e) {
                            failed++;
                        }
                    }
                    return new long[] {done, failed};
                }));
            }
            long done = 0;
            long failed = 0;
            for (Future<long[]> result : results) {
                long[] counts = result.get();
                done += counts[0];
                failed += counts[1];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // the window's cost: the commands, and what the live projections applied meanwhile
            Map<String, Object> cost = meter.since(before, done);
            return Map.of(
                    "kind", kind.name(),
                    "callers", callers,
                    "operations", done,
                    "failed", failed,
                    "seconds", seconds,
                    "perSecond", done / seconds,
                    "cost", cost);
        } finally {
            threads.shutdownNow();
        }
    }

    /** One caller thread's own aggregate, for the baseline's update rows. */
    private static final class Caller {
        final String aggregateId = UUID.randomUUID().toString();
        long sequence = 1;
    }

    private interface Operation {
        void run(Caller caller);
    }

    private Operation operation(Kind kind, Owner owner) {
        Actor actor = new Actor("bench:append", owner.workspace());
        return switch (kind) {
            case AXON_CREATE ->
                caller -> {
                    ConnectionId id = ConnectionId.random();
                    commands.send(
                            new StartAuthorization(
                                    id,
                                    owner.workspace(),
                                    owner.application(),
                                    owner.provider(),
                                    owner.person(),
                                    Visibility.WORKSPACE,
                                    "Append",
                                    pending()),
                            actor);
                    created.add(id);
                };
            case AXON_UPDATE ->
                caller -> {
                    ConnectionId id = created.get((int) (cursor.getAndIncrement() % created.size()));
                    commands.send(
                            new RenameConnection(id, owner.person(), "Renamed " + renames.incrementAndGet()), actor);
                };
            case JDBC_CREATE -> {
                Row row = row(
                        new AuthorizationStarted(
                                ConnectionId.random(),
                                owner.workspace(),
                                owner.application(),
                                owner.provider(),
                                owner.person(),
                                Visibility.WORKSPACE,
                                "Append",
                                pending()),
                        owner);
                yield caller -> insert(row, UUID.randomUUID().toString(), 0);
            }
            case JDBC_UPDATE -> {
                Row row = row(new ConnectionRenamed(ConnectionId.random(), "Renamed 1234"), owner);
                yield caller -> insert(row, caller.aggregateId, caller.sequence++);
            }
        };
    }

    private PendingAuthorization pending() {
        return new PendingAuthorization(
                AuthorizationSecrets.digest(AuthorizationSecrets.random256()),
                AuthorizationSecrets.digest(AuthorizationSecrets.random256()),
                null,
                clock.instant().plus(Duration.ofMinutes(10)),
                null);
    }

    /** A row as Axon writes it for this event: the serialized payload and the audit metadata every event carries. */
    private record Row(String payloadType, byte[] payload, byte[] metaData) {}

    private Row row(Object event, Owner owner) {
        SerializedObject<byte[]> payload = serializer.serialize(event, byte[].class);
        MetaData metaData = MetaData.from(Map.of(
                AuditMetadata.ACTOR,
                "bench:append",
                AuditMetadata.WORKSPACE_ID,
                owner.workspace().value(),
                AuditMetadata.CORRELATION_ID,
                UUID.randomUUID().toString(),
                "traceId",
                UUID.randomUUID().toString()));
        return new Row(
                payload.getType().getName(),
                payload.getData(),
                serializer.serialize(metaData, byte[].class).getData());
    }

    private void insert(Row row, String aggregateId, long sequence) {
        jdbc.update(
                INSERT,
                UUID.randomUUID().toString(),
                aggregateId,
                sequence,
                DateTimeUtils.formatInstant(clock.instant()),
                row.payloadType(),
                row.payload(),
                row.metaData());
    }
}
