package dev.latchkey.query.projection;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transaction of a projection's batch commits without waiting for its write-ahead log to reach the disk
 * ({@code synchronous_commit = off}, for this transaction only). The rows, the projection's position and the
 * processor's token are written in that one transaction, so a crash of PostgreSQL that loses it loses all three:
 * the processor applies the same events again, which every projection here tolerates. Nothing else becomes less
 * durable: the events themselves are appended by the commands, whose commits still wait for the disk. What is gained
 * is a disk flush per batch, which a view woken at every event pays at every event.
 */
public final class RebuildableCommit {

    private RebuildableCommit() {}

    /** Call inside the batch's transaction, before any savepoint (a rolled-back savepoint would undo it). */
    public static void apply(JdbcTemplate jdbc) {
        jdbc.execute("SET LOCAL synchronous_commit = off");
    }
}
