package dev.latchkey.bench.server;

import dev.latchkey.app.LatchkeyApplication;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;

/**
 * Latchkey as {@code java -jar latchkey.jar} runs it, plus {@link BenchConfiguration}: the baseline endpoint and the
 * loopback-only {@code /bench/**} endpoints the benchmark driver calls. Configured through the same environment
 * variables as the real thing.
 */
public final class BenchServer {

    private BenchServer() {}

    public static void main(String[] args) {
        exitWithParent();
        SpringApplication.run(new Class<?>[] {LatchkeyApplication.class, BenchConfiguration.class}, args);
    }

    /** A driver killed without its shutdown hook must not leave a server (and its PostgreSQL) running. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            Thread watcher = new Thread(
                    () -> {
                        parent.onExit().join();
                        System.err.println("bench driver gone: stopping");
                        System.exit(3);
                    },
                    "bench-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        });
        // every run is bounded, whatever the driver does
        Thread limit = new Thread(
                () -> {
                    try {
                        TimeUnit.MINUTES.sleep(Long.getLong("bench.server.max-minutes", 45));
                        System.err.println("bench server ran too long: stopping");
                        System.exit(4);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "bench-time-limit");
        limit.setDaemon(true);
        limit.start();
    }
}
