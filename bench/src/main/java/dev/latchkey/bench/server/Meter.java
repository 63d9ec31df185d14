package dev.latchkey.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a stretch of work cost: CPU of this server's JVM (process CPU time, every thread), CPU of the PostgreSQL
 * server's processes (utime + stime from {@code /proc} of the postmaster and its children, plus what the postmaster
 * reaped from children that exited), and the statements and commits {@link StatementCounter} saw.
 */
@Component
class Meter {

    /** Linux reports /proc times in USER_HZ, 100 on every architecture the JDK runs on here. */
    private static final double NANOS_PER_TICK = 1e9 / 100;

    record Reading(long jvmCpuNanos, long postgresCpuNanos, long statements, long commits, long rollbacks) {}

    private final JdbcTemplate jdbc;
    private volatile Path postmasterPid;

    Meter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Reading read() {
        return new Reading(
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime(),
                postgresCpuNanos(),
                StatementCounter.STATEMENTS.sum(),
                StatementCounter.COMMITS.sum(),
                StatementCounter.ROLLBACKS.sum());
    }

    /** The cost since {@code before}, in all and per operation (the driver divides likewise for its own windows). */
    Map<String, Object> since(Reading before, long operations) {
        Reading now = read();
        return cost(before, now, operations);
    }

    static Map<String, Object> cost(Reading before, Reading after, long operations) {
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("operations", operations);
        cost.put("jvmCpuMillis", (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1e6);
        cost.put(
                "postgresCpuMillis",
                before.postgresCpuNanos() < 0 || after.postgresCpuNanos() < 0
                        ? -1
                        : (after.postgresCpuNanos() - before.postgresCpuNanos()) / 1e6);
        cost.put("statements", after.statements() - before.statements());
        cost.put("commits", after.commits() - before.commits());
        cost.put("rollbacks", after.rollbacks() - before.rollbacks());
        return cost;
    }

    Map<String, Object> reading() {
        Reading now = read();
        Map<String, Object> reading = new LinkedHashMap<>();
        reading.put("jvmCpuNanos", now.jvmCpuNanos());
        reading.put("postgresCpuNanos", now.postgresCpuNanos());
        reading.put("statements", now.statements());
        reading.put("commits", now.commits());
        reading.put("rollbacks", now.rollbacks());
        return reading;
    }

    /** -1 when the PostgreSQL server's processes cannot be read (another machine, another user's /proc). */
    private long postgresCpuNanos() {
        try {
            Path pidFile = postmasterPid;
            if (pidFile == null) {
                String directory = jdbc.queryForObject(
                        "SELECT setting FROM pg_settings WHERE name = 'data_directory'", String.class);
                pidFile = Path.of(directory, "postmaster.pid");
                postmasterPid = pidFile;
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            long postmaster = Long.parseLong(lines.get(0).strip());
            long ticks = 0;
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path process : processes) {
                    String[] fields = fields(process);
                    if (fields == null) {
                        continue;
                    }
                    long pid = Long.parseLong(process.getFileName().toString());
                    long parent = Long.parseLong(fields[1]);
                    if (pid == postmaster) {
                        // utime, stime, and cutime, cstime: the backends that exited and were reaped
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                                + Long.parseLong(fields[14]);
                    } else if (parent == postmaster) {
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                }
            }
            return (long) (ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The fields of /proc/pid/stat after the command name, from the state on (index 0 = field 3). */
    private static String[] fields(Path process) throws IOException {
        String stat;
        try {
            stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null; // exited meanwhile
        } catch (IOException e) {
            return null;
        }
        int end = stat.lastIndexOf(')');
        return end < 0 ? null : stat.substring(end + 2).split(" ");
    }
}
