package dev.latchkey.query.projection;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Gives each projection one batch per unit of work. A pooled streaming processor hands events over in batches, one
 * unit of work and one transaction per batch: collecting changes and writing them once, at prepare-commit, turns a
 * statement per event into a few JDBC batches per event batch. Without a unit of work the change is written at once.
 */
public final class BatchPerUnitOfWork {

    private BatchPerUnitOfWork() {}

    public static <B extends ProjectionBatch> void record(Object projection, Supplier<B> newBatch, Consumer<B> change) {
        if (!CurrentUnitOfWork.isStarted()) {
            B batch = newBatch.get();
            change.accept(batch);
            batch.flush();
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        String key = projection.getClass().getName() + "@" + System.identityHashCode(projection);
        B batch = root.getOrComputeResource(key, k -> {
            B created = newBatch.get();
            root.onPrepareCommit(u -> created.flush());
            return created;
        });
        change.accept(batch);
    }
}
