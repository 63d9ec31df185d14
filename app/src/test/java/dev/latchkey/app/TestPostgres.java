package dev.latchkey.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one PostgreSQL of a test JVM: started on first use in a temporary directory, removed when the JVM exits.
 * Throwaway, so zonky's fast settings (no fsync) are kept. Spring tests reach it through
 * {@code spring.datasource.url}, which turns the application's own embedded default off.
 */
public final class TestPostgres {

    static final String DATABASE = "latchkey_test";

    private static EmbeddedPostgres postgres;

    private TestPostgres() {}

    public static synchronized String jdbcUrl() {
        if (postgres == null) {
            postgres = start();
        }
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public static String username() {
        return "postgres";
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            try (Connection connection = started.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create database " + DATABASE);
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
