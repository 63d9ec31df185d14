package dev.latchkey.app.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import org.axonframework.common.jdbc.JdbcException;
import org.junit.jupiter.api.Test;

/** Which failures say the database is away (answered 503 database-unavailable), and which do not. */
class DatabaseOutagesTest {

    @Test
    void aPooledConnectionTheDatabaseCutOffIsAnOutageEvenWithoutAnSqlState() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.jdbcUrl("latchkey_outages"));
        config.setUsername(TestPostgres.username());
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Connection connection = pool.getConnection();
            connection.setAutoCommit(false);
            connection.close();
            // what Axon met rolling back on a connection Hikari had closed (soak finding 10)
            Throwable closed = catchThrowable(connection::rollback);
            assertThat(closed).isInstanceOf(SQLException.class);
            assertThat(((SQLException) closed).getSQLState()).isNull();

            assertThat(DatabaseOutages.isOutage(new JdbcException("Failed to rollback", closed)))
                    .isTrue();
        }
    }

    @Test
    void aStatementTheDatabaseRefusedIsNoOutage() {
        assertThat(DatabaseOutages.isOutage(new JdbcException("refused", new SQLException("value too long", "22001"))))
                .isFalse();
        assertThat(DatabaseOutages.isOutage(new JdbcException("odd", new SQLException("no state"))))
                .isFalse();
        assertThat(DatabaseOutages.isOutage(
                        new JdbcException("shutdown", new SQLException("terminating connection", "57P01"))))
                .isTrue();
    }
}
