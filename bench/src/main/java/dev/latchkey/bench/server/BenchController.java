package dev.latchkey.bench.server;

import dev.latchkey.app.writemodel.Actor;
import dev.latchkey.app.writemodel.CommandSender;
import dev.latchkey.bench.server.ConnectionSeeder.Owner;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.RenameConnection;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What the driver asks the server to do or measure from inside: seeding, and benchmarks 2 to 5. */
@RestController
@RequestMapping("/bench")
class BenchController {

    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final ConnectionSeeder seeder;
    private final StoredEvents events;
    private final AppendBench append;
    private final RefreshBench refresh;
    private final ReplayBench replay;
    private final CommandSender commands;
    private final ProjectionPositions positions;
    private final Meter meter;
    private final RowLockRefreshBench rowLock;
    private final ViewLagBench viewLag;
    private final ScheduleBench schedule;

    BenchController(
            ConnectionSeeder seeder,
            StoredEvents events,
            AppendBench append,
            RefreshBench refresh,
            ReplayBench replay,
            CommandSender commands,
            ProjectionPositions positions,
            Meter meter,
            RowLockRefreshBench rowLock,
            ViewLagBench viewLag,
            ScheduleBench schedule) {
        this.schedule = schedule;
        this.meter = meter;
        this.rowLock = rowLock;
        this.viewLag = viewLag;
        this.seeder = seeder;
        this.events = events;
        this.append = append;
        this.refresh = refresh;
        this.replay = replay;
        this.commands = commands;
        this.positions = positions;
    }

    private static Owner owner(String workspace, String person, String application, String provider) {
        return new Owner(
                WorkspaceId.of(workspace),
                UserWorkspaceId.of(person),
                ApplicationId.of(application),
                ProviderName.of(provider));
    }

    @GetMapping("/store")
    Map<String, Object> store() {
        return Map.of(
                "events", events.count(),
                "snapshots", events.snapshots(),
                "postgres", events.postgresVersion());
    }

    /** Waits until the connection view has applied every event in the store. */
    @PostMapping("/caught-up")
    Map<String, Object> caughtUp() {
        long start = System.nanoTime();
        boolean done = positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, events.head(), CATCH_UP);
        return Map.of("caughtUp", done, "seconds", (System.nanoTime() - start) / 1e9);
    }

    @PostMapping("/connections")
    Map<String, Object> connections(
            @RequestParam String workspace,
            @RequestParam String person,
            @RequestParam String application,
            @RequestParam String provider,
            @RequestParam int count,
            @RequestParam long expiresInSeconds,
            @RequestParam(defaultValue = "8") int threads)
            throws Exception {
        long start = System.nanoTime();
        List<ConnectionId> ids = seeder.seed(
                owner(workspace, person, application, provider), count, Duration.ofSeconds(expiresInSeconds), threads);
        boolean caughtUp = positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, events.head(), CATCH_UP);
        return Map.of(
                "connections",
                ids.size(),
                "ids",
                ids.stream().map(ConnectionId::value).toList(),
                "caughtUp",
                caughtUp,
                "seconds",
                (System.nanoTime() - start) / 1e9);
    }

    /** CPU so far (JVM, PostgreSQL) and statements so far: the driver reads it before and after its HTTP windows. */
    @GetMapping("/meter")
    Map<String, Object> meter() {
        return meter.reading();
    }

    /** Benchmark 2's peer: {@code count} due tokens in a table of its own. */
    @PostMapping("/row-lock/prepare")
    Map<String, Object> prepareRowLock(@RequestParam int count) {
        return rowLock.prepare(count);
    }

    /** Benchmark 2's peer: every token refreshed by as many workers as the scheduler has ({@code 0}: count them). */
    @PostMapping("/row-lock")
    Map<String, Object> rowLock(@RequestParam String tokenUrl, @RequestParam(defaultValue = "0") int workers)
            throws Exception {
        return rowLock.run(tokenUrl, workers > 0 ? workers : Math.max(1, RefreshBench.workers()));
    }

    /** Benchmark 8: which node holds the connection view's segments. */
    @GetMapping("/node")
    Map<String, Object> node() {
        return viewLag.node();
    }

    /** Benchmark 8: one rename, then the view's row read until it shows the new name. */
    @PostMapping("/view-lag/sample")
    Map<String, Object> viewLagSample(
            @RequestParam String connectionId, @RequestParam String workspace, @RequestParam String person) {
        return viewLag.sample(connectionId, workspace, person);
    }

    /** Benchmark 9: what finding the due refreshes costs at {@code connections}, {@code duePercent} % due. */
    @PostMapping("/schedule")
    Map<String, Object> schedule(
            @RequestParam int connections, @RequestParam double duePercent, @RequestParam int runs) throws Exception {
        return schedule.run(connections, duePercent, runs);
    }

    @GetMapping("/due")
    Map<String, Object> due() {
        return Map.of("due", refresh.due());
    }

    @PostMapping("/refresh")
    Map<String, Object> refresh(@RequestParam long shiftSeconds) throws InterruptedException {
        return refresh.run(Duration.ofSeconds(shiftSeconds));
    }

    @PostMapping("/shift")
    Map<String, Object> shift(@RequestParam long seconds) {
        // the application's time after the shift: a caller token must be valid then
        return Map.of("shifted", seconds, "now", refresh.shift(Duration.ofSeconds(seconds)).toString());
    }

    @PostMapping("/append/prepare")
    Map<String, Object> prepareAppend() {
        append.prepareBaseline();
        return Map.of("prepared", true);
    }

    @PostMapping("/append")
    Map<String, Object> append(
            @RequestParam String kind,
            @RequestParam int callers,
            @RequestParam long millis,
            @RequestParam String workspace,
            @RequestParam String person,
            @RequestParam String application,
            @RequestParam String provider,
            @RequestParam(defaultValue = "false") boolean paused)
            throws Exception {
        return append.run(
                AppendBench.Kind.valueOf(kind),
                owner(workspace, person, application, provider),
                callers,
                Duration.ofMillis(millis),
                paused);
    }

    @PostMapping("/history")
    Map<String, Object> history(
            @RequestParam int events,
            @RequestParam String workspace,
            @RequestParam String person,
            @RequestParam String application,
            @RequestParam String provider) {
        ConnectionId id = this.events.history(owner(workspace, person, application, provider), events);
        return Map.of("connectionId", id.value());
    }

    /** Benchmark 5: sequential commands on one connection (each appends one event), each timed. */
    @PostMapping("/latency")
    Map<String, Object> latency(
            @RequestParam String connectionId,
            @RequestParam int commands,
            @RequestParam String workspace,
            @RequestParam String person,
            @RequestParam(defaultValue = "false") boolean awaitSnapshot)
            throws InterruptedException {
        long snapshotsBefore = events.snapshots();
        long snapshotterCpuBefore = snapshotterCpuNanos();
        ConnectionId id = ConnectionId.of(connectionId);
        UserWorkspaceId owner = UserWorkspaceId.of(person);
        Actor actor = new Actor("bench:latency", WorkspaceId.of(workspace));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> millis = new ArrayList<>();
        List<Double> cpuMillis = new ArrayList<>();
        Meter.Reading before = meter.read();
        for (int i = 0; i < commands; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            // Axon's SimpleCommandBus handles the command on this thread: its CPU time is the command's
            this.commands.send(new RenameConnection(id, owner, "Latency " + System.nanoTime()), actor);
            millis.add((System.nanoTime() - start) / 1e6);
            cpuMillis.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        Map<String, Object> cost = meter.since(before, commands);
        // a snapshot is taken after the command, on the snapshotter's threads: give it time to land
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (awaitSnapshot && events.snapshots() == snapshotsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Map.of(
                "cost",
                cost,
                "millis",
                millis,
                "cpuMillis",
                cpuMillis,
                "snapshotsTaken",
                events.snapshots() - snapshotsBefore,
                "snapshotterCpuMillis",
                (snapshotterCpuNanos() - snapshotterCpuBefore) / 1e6);
    }

    /** CPU time of main's snapshot threads ({@code snapshotter-N}), alive or not yet started. */
    private static long snapshotterCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("snapshotter-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /**
     * How long after a command returns the connection view has applied its event: the wait every read-your-writes
     * caller pays (a rename each time, one at a time, on a quiet system).
     */
    @PostMapping("/view-lag")
    Map<String, Object> viewLag(
            @RequestParam String connectionId,
            @RequestParam int commands,
            @RequestParam String workspace,
            @RequestParam String person) {
        ConnectionId id = ConnectionId.of(connectionId);
        Actor actor = new Actor("bench:lag", WorkspaceId.of(workspace));
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            this.commands.send(new RenameConnection(id, UserWorkspaceId.of(person), "Lag " + System.nanoTime()), actor);
            long start = System.nanoTime();
            positions.awaitPosition(ConnectionViewProjection.PROCESSING_GROUP, events.head(), CATCH_UP);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return Map.of("millis", millis);
    }

    @PostMapping("/fill")
    Map<String, Object> fill(
            @RequestParam long total,
            @RequestParam String workspace,
            @RequestParam String person,
            @RequestParam String application,
            @RequestParam String provider) {
        long start = System.nanoTime();
        replay.stop(CATCH_UP); // the replays rebuild the view from these events: no need to project them live
        long added = events.fillTo(owner(workspace, person, application, provider), total);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("added", added);
        result.put("events", events.count());
        result.put("seconds", (System.nanoTime() - start) / 1e9);
        return result;
    }

    @PostMapping("/replay")
    Map<String, Object> replay(@RequestParam(defaultValue = "0") long last) {
        return replay.replay(last, CATCH_UP);
    }

    @PostMapping("/read")
    Map<String, Object> read() {
        return replay.read();
    }
}
