package dev.latchkey.query;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/** One real PostgreSQL per test JVM, migrated by Flyway with the query side's scripts. */
public final class TestDatabase {

    private static final EmbeddedPostgres POSTGRES = start();
    private static final DataSource DATA_SOURCE = migrated(POSTGRES.getPostgresDatabase());
    private static final JdbcTemplate JDBC = new JdbcTemplate(DATA_SOURCE);
    private static final DataSourceTransactionManager TRANSACTIONS = new DataSourceTransactionManager(DATA_SOURCE);

    private TestDatabase() {}

    public static JdbcTemplate jdbc() {
        return JDBC;
    }

    public static DataSource dataSource() {
        return DATA_SOURCE;
    }

    /** Axon's transaction manager over Spring's, as the application wires it: JdbcTemplate joins its transactions. */
    public static TransactionManager axonTransactions() {
        return () -> {
            TransactionStatus status = TRANSACTIONS.getTransaction(new DefaultTransactionDefinition());
            return new Transaction() {
                @Override
                public void commit() {
                    TRANSACTIONS.commit(status);
                }

                @Override
                public void rollback() {
                    TRANSACTIONS.rollback(status);
                }
            };
        };
    }

    /** Empties every table the migrations created. */
    public static void clear() {
        List<String> tables = JDBC.queryForList(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'",
                String.class);
        JDBC.execute("TRUNCATE " + String.join(", ", tables));
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
        }
    }

    private static DataSource migrated(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return dataSource;
    }
}
