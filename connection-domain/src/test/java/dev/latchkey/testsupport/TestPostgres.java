package dev.latchkey.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The one PostgreSQL of a test JVM: started on first use in a temporary directory, closed when the JVM exits.
 * Throwaway, so zonky's fast settings (no fsync) are kept. Each caller asks for a database by name and gets it
 * created on its first request: callers that must not see each other's rows use different names. Spring tests reach
 * it through {@code spring.datasource.url} ({@link #jdbcUrl(String)}), which turns the application's own embedded
 * default off.
 */
public final class TestPostgres {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static EmbeddedPostgres server;
    private static final Set<String> created = new HashSet<>();

    private TestPostgres() {}

    public static String username() {
        return "postgres";
    }

    /** The JDBC URL of {@code database} on this JVM's server, created empty on the first request for it. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + created(database).getPort() + "/" + database;
    }

    /** {@code database} on this JVM's server, created empty on the first request for it; unpooled. */
    public static DataSource dataSource(String database) {
        return created(database).getDatabase(username(), database);
    }

    /**
     * {@code database} on this JVM's server, migrated by Flyway with the scripts the test classpath holds under
     * {@code db/migration} (each module's own).
     */
    public static DataSource migrated(String database) {
        DataSource dataSource = dataSource(database);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return dataSource;
    }

    /**
     * A PostgreSQL of the caller's own, not this JVM's shared one, for a test that stops and starts it: on a fixed
     * port and data directory, which a restart keeps, so a connection pool finds it again. The caller closes it.
     */
    public static EmbeddedPostgres startDedicated(int port, Path dataDirectory) {
        try {
            return EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the dedicated embedded PostgreSQL did not start", e);
        }
    }

    private static synchronized EmbeddedPostgres created(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        if (server == null) {
            server = start();
        }
        if (created.add(database)) {
            try (Connection connection = server.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create database " + database);
            } catch (SQLException e) {
                created.remove(database);
                throw new IllegalStateException("could not create the test database " + database, e);
            }
        }
        return server;
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
        }
    }
}
