package dev.latchkey.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The one PostgreSQL both soak nodes share, run by the driver (zonky's embedded binaries) on a fixed loopback port and
 * a data directory of its own, so it can be stopped and started again on the same data. Durable like Latchkey's
 * embedded default: fsync and synchronous commit on.
 */
final class SoakDatabase implements AutoCloseable {

    static final String DATABASE = "latchkey";
    static final String USER = "postgres";

    private final Path directory;
    private final Path log;
    private final int port;
    private EmbeddedPostgres postgres;

    SoakDatabase(Path directory, Path log, int port) {
        this.directory = directory;
        this.log = log;
        this.port = port;
    }

    /** Starts PostgreSQL (creating the cluster and the database the first time); answers how long it took. */
    synchronized double start() throws IOException, SQLException {
        long start = System.nanoTime();
        Files.createDirectories(directory);
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(true)
                .setPort(port)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement statement = connection.createStatement();
                ResultSet found =
                        statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!found.next()) {
                statement.execute("create database " + DATABASE);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Stops PostgreSQL (zonky's {@code pg_ctl stop}, fast mode: open sessions are ended). */
    synchronized double stop() throws IOException {
        long start = System.nanoTime();
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    String version() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("show server_version")) {
            result.next();
            return result.getString(1);
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
