package dev.latchkey.app.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aServerLeftRunningByAKilledJvmIsStoppedAndItsDataKeptOnTheNextStart(@TempDir Path dataDir) throws Exception {
        Path postgresDir = dataDir.resolve("postgres");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KilledJvm.class.getName(),
                        postgresDir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals(KilledJvm.READY)) {
                // the child's own log lines
            }
        }
        child.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        long orphanPid = Long.parseLong(
                Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(orphanPid))
                .hasValueSatisfying(orphan -> assertThat(orphan.isAlive()).isTrue());

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(postgresDir);
                var connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
                var statement = connection.createStatement();
                var result = statement.executeQuery("select note from marker")) {
            assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive))
                    .isEmpty();
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("written before the kill");
        }
    }

    /** Starts the server, writes a row, says so and waits to be killed. */
    public static final class KilledJvm {

        static final String READY = "ready to be killed";

        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
            try (var connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
                    var statement = connection.createStatement()) {
                statement.execute("create table marker (note text)");
                statement.execute("insert into marker values ('written before the kill')");
            }
            System.out.println(READY);
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
