package dev.latchkey.bench;

import static dev.latchkey.bench.Stats.f;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What some operations cost the server: CPU of its JVM, CPU of PostgreSQL's processes (both from the server's
 * {@code /bench/meter}: process CPU time, and utime + stime of the postmaster and its children from /proc) and the SQL
 * statements and commits it sent. Repetitions add up, so the figure per operation is total / total.
 */
record Cost(long operations, double jvmCpuMillis, double postgresCpuMillis, long statements, long commits) {

    static final Cost NONE = new Cost(0, 0, 0, 0, 0);

    /** A {@code cost} object the server measured around its own work. */
    static Cost of(JsonNode cost) {
        return new Cost(
                cost.path("operations").asLong(),
                cost.path("jvmCpuMillis").asDouble(),
                cost.path("postgresCpuMillis").asDouble(),
                cost.path("statements").asLong(),
                cost.path("commits").asLong());
    }

    /** Between two readings of {@code /bench/meter} the driver took around a window of its own. */
    static Cost between(JsonNode before, JsonNode after, long operations) {
        long pgBefore = before.path("postgresCpuNanos").asLong();
        long pgAfter = after.path("postgresCpuNanos").asLong();
        return new Cost(
                operations,
                (after.path("jvmCpuNanos").asLong() - before.path("jvmCpuNanos").asLong()) / 1e6,
                pgBefore < 0 || pgAfter < 0 ? -1 : (pgAfter - pgBefore) / 1e6,
                after.path("statements").asLong() - before.path("statements").asLong(),
                after.path("commits").asLong() - before.path("commits").asLong());
    }

    Cost plus(Cost other) {
        return new Cost(
                operations + other.operations,
                jvmCpuMillis + other.jvmCpuMillis,
                postgresCpuMillis < 0 || other.postgresCpuMillis < 0 ? -1 : postgresCpuMillis + other.postgresCpuMillis,
                statements + other.statements,
                commits + other.commits);
    }

    double jvmMillisPerOperation() {
        return operations == 0 ? Double.NaN : jvmCpuMillis / operations;
    }

    double postgresMillisPerOperation() {
        return operations == 0 || postgresCpuMillis < 0 ? Double.NaN : postgresCpuMillis / operations;
    }

    double cpuMillisPerOperation() {
        return jvmMillisPerOperation() + (postgresCpuMillis < 0 ? 0 : postgresMillisPerOperation());
    }

    /** e.g. "CPU 1.20 ms (JVM 0.90 + PostgreSQL 0.30), 21.0 statements, 0.010 commits". */
    String perOperation() {
        if (operations == 0) {
            return "not measured";
        }
        return f(
                "CPU %s ms (JVM %s + PostgreSQL %s), %s statements, %s commits",
                number(cpuMillisPerOperation()),
                number(jvmMillisPerOperation()),
                postgresCpuMillis < 0 ? "?" : number(postgresMillisPerOperation()),
                number((double) statements / operations),
                number((double) commits / operations));
    }

    private static String number(double value) {
        return value == 0 ? "0" : value >= 10 ? f("%.1f", value) : value >= 0.1 ? f("%.2f", value) : f("%.3f", value);
    }
}
