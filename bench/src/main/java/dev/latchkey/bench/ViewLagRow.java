package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;
import static dev.latchkey.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark 8: how long after a command returns the connection view shows its change, when the node that owns the
 * view's processor segment took the command (same node) and when another node did (other node). The second node is
 * a second bench server on the first one's PostgreSQL; which node owns the segment is read from
 * {@code token_entry.owner}, not assumed. Samples are spaced by random pauses (50-750 ms), in a shuffled order of the
 * two nodes, so they fall out of step with any timer of the application's.
 */
final class ViewLagRow {

    static final String WORKSPACE = "ws-lag";

    private final Stage stage;
    private final Random random = new Random();

    ViewLagRow(Stage stage) {
        this.stage = stage;
    }

    void run() throws Exception {
        Plan plan = stage.plan;
        Stage.progress("8: view lag after a command, on the node owning the view and on a second node");
        // one connection per node, so the two nodes never write to the same aggregate
        JsonNode seeded = stage.seed(WORKSPACE, 2, Duration.ofDays(30));
        List<String> ids = new ArrayList<>();
        seeded.path("ids").forEach(id -> ids.add(id.asText()));
        Map<String, String> environment = new LinkedHashMap<>(stage.benchEnvironment());
        if (!Stage.externalDatabase()) { // an external one is inherited from the driver's environment
            environment.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/latchkey");
            environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
            environment.put("SPRING_DATASOURCE_PASSWORD", "");
        }
        environment.put("LATCHKEY_DATA_DIR", stage.work.resolve("node-2-data").toString());
        environment.put("LATCHKEY_PUBLIC_URL", "http://127.0.0.1:" + stage.port);
        try (ServerProcess second =
                ServerProcess.start(stage.work.resolve("server-node-2.log"), Stage.freePort(), environment)) {
            Calls first = stage.calls;
            Calls other = new Calls(second.baseUrl());
            stage.report.detail(f("8 second node ready after %.1f s", second.readySeconds()));
            JsonNode firstNode = first.bench("GET", "/node");
            JsonNode secondNode = other.bench("GET", "/node");
            stage.report.detail("8 node 1: " + firstNode + " | node 2: " + secondNode);
            Calls owner;
            Calls notOwner;
            if (firstNode.path("ownsView").asBoolean()) {
                owner = first;
                notOwner = other;
            } else if (secondNode.path("ownsView").asBoolean()) {
                owner = other;
                notOwner = first;
            } else {
                throw new IllegalStateException(
                        "neither node holds the connection view's segments: " + firstNode.path("viewOwners"));
            }
            List<Boolean> order = new ArrayList<>();
            for (int i = 0; i < plan.lagSamples(); i++) {
                order.add(true);
                order.add(false);
            }
            Collections.shuffle(order, random);
            // one sample on each first, not counted: the first command on a node loads its aggregate cold
            sample(owner, ids.get(0));
            sample(notOwner, ids.get(1));
            JsonNode ownerBefore = owner.bench("GET", "/meter");
            JsonNode otherBefore = notOwner.bench("GET", "/meter");
            List<Double> same = new ArrayList<>();
            List<Double> remote = new ArrayList<>();
            long polls = 0;
            int lost = 0;
            for (boolean onOwner : order) {
                Thread.sleep(50 + random.nextInt(700)); // random spacing, by design
                JsonNode sample = sample(onOwner ? owner : notOwner, ids.get(onOwner ? 0 : 1));
                double millis = sample.path("millis").asDouble();
                polls += sample.path("polls").asLong();
                if (millis < 0) {
                    lost++;
                    continue;
                }
                (onOwner ? same : remote).add(millis);
            }
            JsonNode ownerAfter = owner.bench("GET", "/meter");
            JsonNode otherAfter = notOwner.bench("GET", "/meter");
            JsonNode ownersAtEnd = first.bench("GET", "/node").path("viewOwners");
            int samples = order.size();
            Cost ownerCost = Cost.between(ownerBefore, ownerAfter, samples);
            Cost otherCost = Cost.between(otherBefore, otherAfter, samples);
            Collections.sort(same);
            Collections.sort(remote);
            double sameP50 = median(same);
            double remoteP50 = median(remote);
            stage.report.line(
                    "8",
                    "view lag: from a command's return until `connection_view` shows it, same node / other node"
                            + " (random spacing)",
                    f(
                            "same node p50 %.1f ms, p90 %.1f ms; other node p50 %.1f ms, p90 %.1f ms",
                            sameP50, percentile(same, 0.9), remoteP50, percentile(remote, 0.9)),
                    "—",
                    "—",
                    "p50 ≤ 20 ms / ≤ 250 ms",
                    f(
                            "%s (same node %s, other node %s)%s",
                            Report.met(sameP50 <= 20 && remoteP50 <= 250),
                            Report.met(sameP50 <= 20),
                            Report.met(remoteP50 <= 250),
                            lost == 0 ? "" : f("; %d samples not shown within 10 s", lost)),
                    f(
                            "per sample (a rename, and the view's row read every 0.5 ms meanwhile): JVM CPU owner %.2f"
                                    + " + other %.2f ms, PostgreSQL %.2f ms (both nodes), %.1f statements besides the"
                                    + " %.0f reads of the row",
                            ownerCost.jvmMillisPerOperation(),
                            otherCost.jvmMillisPerOperation(),
                            ownerCost.postgresMillisPerOperation(),
                            (double) (ownerCost.statements() + otherCost.statements() - polls) / samples,
                            (double) polls / samples));
            stage.report.detail(f(
                    "8 same node, ms: %s | other node, ms: %s | view's segment owners at the end: %s",
                    Stats.list(same, "%.1f"), Stats.list(remote, "%.1f"), ownersAtEnd));
        }
    }

    private static JsonNode sample(Calls node, String connection) throws Exception {
        return node.bench(
                "POST", "/view-lag/sample", "connectionId", connection, "workspace", WORKSPACE, "person", Stage.PERSON);
    }

    /** The first node's embedded PostgreSQL's port, from its {@code postmaster.pid} (line 4). */
    private int postgresPort() throws Exception {
        Path pid = Path.of(stage.environment.get("LATCHKEY_DATA_DIR"), "postgres", "postmaster.pid");
        return Integer.parseInt(Files.readAllLines(pid).get(3).strip());
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
