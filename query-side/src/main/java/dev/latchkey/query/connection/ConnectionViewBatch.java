package dev.latchkey.query.connection;

import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.query.connection.ConnectionViewTable.Revocation;
import dev.latchkey.query.projection.Applied;
import dev.latchkey.query.projection.EventRefusals;
import dev.latchkey.query.projection.ProjectionBatch;
import dev.latchkey.query.projection.ProjectionPositions;
import dev.latchkey.query.projection.RebuildableCommit;
import dev.latchkey.query.projection.RefusedSequences;
import dev.latchkey.query.projection.Savepoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The connection view's changes of one unit of work. At flush it reads every row the batch touches in one query,
 * folds each connection's events into its row in order (skipping those the row has already seen: redeliveries),
 * and writes the changed rows with multi-row statements: a handful of statements per event batch, whatever its
 * size, instead of one per event.
 *
 * <p>When the database refuses the batch's writes for reasons of the rows (a NUL, a constraint), each connection is
 * written again on its own: the ones refused are remembered in {@link RefusedSequences} and the batch fails, so that
 * delivered again their events are parked by the dead-letter queue and every other connection is written.
 */
final class ConnectionViewBatch implements ProjectionBatch {

    private enum Kind {
        CREATE,
        UPDATE,
        REVOKE
    }

    private record Change(Kind kind, Applied applied, Consumer<ConnectionState> apply) {}

    private final JdbcTemplate jdbc;
    private final ConnectionViewTable table;
    private final ProjectionPositions positions;
    private final RefusedSequences refused;
    private final Map<ConnectionId, List<Change>> changes = new LinkedHashMap<>();
    private long position = -1;

    ConnectionViewBatch(
            JdbcTemplate jdbc, ConnectionViewTable table, ProjectionPositions positions, RefusedSequences refused) {
        this.jdbc = jdbc;
        this.table = table;
        this.positions = positions;
        this.refused = refused;
    }

    void create(ConnectionId id, Applied applied, Consumer<ConnectionState> initialise) {
        add(id, new Change(Kind.CREATE, applied, initialise));
    }

    void update(ConnectionId id, Applied applied, Consumer<ConnectionState> change) {
        add(id, new Change(Kind.UPDATE, applied, change));
    }

    void revoke(ConnectionId id, Applied applied) {
        add(id, new Change(Kind.REVOKE, applied, row -> {}));
    }

    /** An event that changes nothing here still moves the position past it. */
    void pass(long eventPosition) {
        position = Math.max(position, eventPosition);
    }

    private void add(ConnectionId id, Change change) {
        changes.computeIfAbsent(id, k -> new ArrayList<>()).add(change);
        position = Math.max(position, change.applied().position());
    }

    @Override
    public void flush() {
        RebuildableCommit.apply(jdbc);
        if (!changes.isEmpty()) {
            Savepoints.attempt(jdbc, () -> write(changes)).ifPresent(this::writeOneByOne);
        }
        positions.advance(ConnectionViewProjection.PROCESSING_GROUP, position);
        changes.clear();
        position = -1;
    }

    /** After the batch's writes failed: which connections does the database refuse? */
    private void writeOneByOne(RuntimeException batchFailure) {
        if (!EventRefusals.belongToTheEvents(batchFailure)) {
            throw batchFailure;
        }
        List<String> refusedHere = new ArrayList<>();
        changes.forEach((id, list) -> {
            Optional<RuntimeException> failure = Savepoints.attempt(jdbc, () -> write(Map.of(id, list)));
            if (failure.isEmpty()) {
                return;
            }
            if (!EventRefusals.belongToTheEvents(failure.get())) {
                throw failure.get();
            }
            long upTo = list.stream()
                    .mapToLong(change -> change.applied().position())
                    .max()
                    .orElse(-1);
            refused.refuse(
                    id.value(), upTo, EventRefusals.describe(ConnectionViewProjection.PROCESSING_GROUP, failure.get()));
            refusedHere.add(id.value());
        });
        if (!refusedHere.isEmpty()) {
            throw EventRefusals.batchFailed(ConnectionViewProjection.PROCESSING_GROUP, refusedHere.size());
        }
    }

    private void write(Map<ConnectionId, List<Change>> changes) {
        table.planForActualValues();
        Map<ConnectionId, ConnectionState> stored = table.load(changes.keySet());
        // only a start can bring back a revoked connection, and only one absent from the view
        List<ConnectionId> startedHere = changes.entrySet().stream()
                .filter(entry -> !stored.containsKey(entry.getKey()))
                .filter(entry -> entry.getValue().stream().anyMatch(change -> change.kind() == Kind.CREATE))
                .map(Map.Entry::getKey)
                .toList();
        Map<ConnectionId, Long> alreadyRevoked = startedHere.isEmpty() ? Map.of() : table.revokedSequences(startedHere);
        List<ConnectionState> writes = new ArrayList<>();
        List<ConnectionId> deletions = new ArrayList<>();
        List<Revocation> revocations = new ArrayList<>();

        changes.forEach((id, list) -> {
            if (alreadyRevoked.containsKey(id)) {
                return;
            }
            ConnectionState before = stored.get(id);
            long storedSequence = before == null ? -1 : before.lastSequence;
            ConnectionState row = before;
            for (Change change : list) {
                Applied applied = change.applied();
                if (row != null && applied.sequence() <= row.lastSequence) {
                    continue;
                }
                if (change.kind() == Kind.REVOKE) {
                    revocations.add(new Revocation(id, applied.sequence(), applied.position(), applied.at()));
                    row = null;
                    break;
                }
                if (change.kind() == Kind.CREATE) {
                    row = new ConnectionState();
                } else if (row == null) {
                    // its start is not in the view (the processor began past it): nothing to change
                    continue;
                }
                change.apply().accept(row);
                row.lastSequence = applied.sequence();
                row.lastPosition = applied.position();
            }
            if (row == null) {
                if (before != null) {
                    deletions.add(id);
                }
            } else if (row.lastSequence > storedSequence) {
                writes.add(row);
            }
        });

        table.delete(deletions);
        table.rememberRevoked(revocations);
        table.write(writes);
    }
}
