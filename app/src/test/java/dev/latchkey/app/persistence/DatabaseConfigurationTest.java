package dev.latchkey.app.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class DatabaseConfigurationTest {

    @Test
    void theLoggedUrlHasNoCredentials() {
        assertThat(DatabaseConfiguration.withoutCredentials(
                        "jdbc:postgresql://db.internal:5432/latchkey?user=app&password=hunter2"))
                .isEqualTo("jdbc:postgresql://db.internal:5432/latchkey");
        assertThat(DatabaseConfiguration.withoutCredentials("jdbc:postgresql://app:hunter2@db.internal/latchkey"))
                .isEqualTo("jdbc:postgresql://db.internal/latchkey");
        assertThat(DatabaseConfiguration.withoutCredentials("jdbc:postgresql:latchkey"))
                .isEqualTo("jdbc:postgresql:latchkey");
    }

    @Test
    void anEmptyDataSourceUrlMeansTheEmbeddedDatabase() {
        assertThat(DatabaseConfiguration.usesEmbeddedDatabase(new MockEnvironment()))
                .isTrue();
        assertThat(DatabaseConfiguration.usesEmbeddedDatabase(
                        new MockEnvironment().withProperty("spring.datasource.url", " ")))
                .isTrue();
        assertThat(DatabaseConfiguration.usesEmbeddedDatabase(
                        new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/x")))
                .isFalse();
    }
}
