package dev.latchkey.app.snapshot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Snapshots of the Connection aggregate ({@code latchkey.snapshots.*}).
 *
 * @param connectionEvery a connection is snapshotted once this many events were read or applied since its last
 *     snapshot, so loading one never reads more than about this many events
 * @param threads how many snapshots are taken at once, off the threads that handle commands
 * @param queue how many snapshots may wait for a thread; beyond it a snapshot is skipped (the next load asks again)
 */
@ConfigurationProperties(prefix = "latchkey.snapshots")
public record SnapshotProperties(
        @DefaultValue("100") int connectionEvery,
        @DefaultValue("1") int threads,
        @DefaultValue("1000") int queue) {

    public SnapshotProperties {
        if (connectionEvery < 1 || threads < 1 || queue < 1) {
            throw new IllegalArgumentException("latchkey.snapshots.* must be positive");
        }
    }
}
