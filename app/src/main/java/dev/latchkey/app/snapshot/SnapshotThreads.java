package dev.latchkey.app.snapshot;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads snapshots are taken on. Axon's snapshotter runs on the thread that committed the command unless given
 * an executor; with this one the caller gets its answer without waiting for a snapshot. Not an {@link Executor} bean
 * itself, so that Spring Boot's own task executor is left alone.
 */
@Component
public class SnapshotThreads implements DisposableBean {

    private final ThreadPoolExecutor pool;

    public SnapshotThreads(SnapshotProperties properties) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "snapshotter-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.pool = new ThreadPoolExecutor(
                properties.threads(),
                properties.threads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.queue()),
                threads,
                new ThreadPoolExecutor.DiscardPolicy());
    }

    Executor executor() {
        return pool;
    }

    /** How many snapshot tasks have run to the end (taken, or found unnecessary). */
    public long completed() {
        return pool.getCompletedTaskCount();
    }

    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
