package dev.latchkey.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

/** Which failures make the webhook process skip an event: the data refused, never a lock or an outage. */
class RefusedDataTest {

    @Test
    void aValueThePostgresqlRefusesIsSkipped() {
        assertThat(WebhookDeliveryProcess.refusesTheData(
                        new DataIntegrityViolationException("x", new SQLException("invalid byte sequence", "22021"))))
                .isTrue();
        assertThat(WebhookDeliveryProcess.refusesTheData(new SQLException("value too long", "22001")))
                .isTrue();
    }

    @Test
    void aDeadlockAForeignKeyOrAnOutageFailsTheBatch() {
        assertThat(WebhookDeliveryProcess.refusesTheData(
                        new PessimisticLockingFailureException("x", new SQLException("deadlock detected", "40P01"))))
                .isFalse();
        assertThat(WebhookDeliveryProcess.refusesTheData(new SQLException("foreign key", "23503")))
                .isFalse();
        assertThat(WebhookDeliveryProcess.refusesTheData(new SQLException("connection refused", "08001")))
                .isFalse();
        assertThat(WebhookDeliveryProcess.refusesTheData(new IllegalStateException("no SQL state")))
                .isFalse();
    }
}
