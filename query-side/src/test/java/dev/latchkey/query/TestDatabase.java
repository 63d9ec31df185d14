package dev.latchkey.query;

import dev.latchkey.testsupport.TestPostgres;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * The query side's database on the test JVM's {@link TestPostgres}, migrated by Flyway with the query side's scripts,
 * with the JdbcTemplate and transactions the projections run on.
 */
public final class TestDatabase {

    static final String DATABASE = "latchkey_query";

    private static final DataSource DATA_SOURCE = TestPostgres.migrated(DATABASE);
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
}
