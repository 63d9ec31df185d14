package dev.latchkey.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A closed-loop load: {@code concurrency} callers, each sending the next request as soon as the previous answer is
 * read, over keep-alive HTTP/1.1 connections, for a fixed time. Only answers received inside the window count. And an
 * open-loop load: requests sent at a fixed offered rate whatever the answers do, each timed from when it was due to
 * be sent (so a stall counts against every request it delays).
 */
final class HttpLoad {

    record Window(long requests, long errors, double seconds, double p50Millis, double p99Millis) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private HttpLoad() {}

    static Window run(HttpClient client, HttpRequest request, int concurrency, Duration duration) throws Exception {
        return run(client, caller -> () -> request, concurrency, duration);
    }

    /** The same, each caller sending the requests its supplier makes (a write needs a new body each time). */
    static Window run(
            HttpClient client,
            IntFunction<Supplier<HttpRequest>> requestsOf,
            int concurrency,
            Duration duration)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Supplier<HttpRequest> requests = requestsOf.apply(i);
                results.add(callers.submit(() -> {
                    long[] latencies = new long[1024];
                    int count = 0;
                    long errors = 0;
                    while (true) {
                        long sent = System.nanoTime();
                        if (sent >= end) {
                            break;
                        }
                        int status;
                        try {
                            status = client.send(requests.get(), HttpResponse.BodyHandlers.ofByteArray())
                                    .statusCode();
                        } catch (java.io.IOException e) {
                            status = -1;
                        }
                        long received = System.nanoTime();
                        if (received > end) {
                            break;
                        }
                        if (status != 200) {
                            errors++;
                            continue;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = received - sent;
                    }
                    long[] mine = Arrays.copyOf(latencies, count + 1);
                    mine[count] = errors; // the last slot carries the error count
                    return mine;
                }));
            }
            List<long[]> all = new ArrayList<>();
            long errors = 0;
            int total = 0;
            for (Future<long[]> result : results) {
                long[] mine = result.get();
                errors += mine[mine.length - 1];
                all.add(mine);
                total += mine.length - 1;
            }
            long[] latencies = new long[total];
            int at = 0;
            for (long[] mine : all) {
                System.arraycopy(mine, 0, latencies, at, mine.length - 1);
                at += mine.length - 1;
            }
            Arrays.sort(latencies);
            return new Window(
                    total,
                    errors,
                    duration.toNanos() / 1e9,
                    percentile(latencies, 0.50) / 1e6,
                    percentile(latencies, 0.99) / 1e6);
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Sends {@code perSecond} requests a second, evenly spaced, for {@code duration}, without waiting for answers;
     * every request counts, timed from the moment it was due. Answers are awaited at most 30 s after the last send.
     */
    static Window offered(HttpClient client, HttpRequest request, double perSecond, Duration duration)
            throws Exception {
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        int total = (int) (duration.toNanos() / interval);
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<?>> answers = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, failure) -> {
                        latencies[slot] = System.nanoTime() - due;
                        if (failure != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Window(
                total - errors.get(),
                errors.get(),
                duration.toNanos() / 1e9,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
