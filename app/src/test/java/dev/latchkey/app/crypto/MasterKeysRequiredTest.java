package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.app.LatchkeyApplication;
import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** An external database is shared by nodes that must hold the same master keys: none given, no start. */
class MasterKeysRequiredTest {

    @Test
    void withAnExternalDatabaseAndNoMasterKeyTheApplicationRefusesToStartSayingWhatToSet() {
        // command-line arguments outrank the environment: an exported LATCHKEY_MASTER_KEYS cannot mask the check
        assertThatThrownBy(() -> new SpringApplicationBuilder(LatchkeyApplication.class)
                        .run(
                                "--spring.datasource.url=" + TestPostgres.jdbcUrl(LatchkeySpringTest.DATABASE),
                                "--spring.datasource.username=" + TestPostgres.username(),
                                "--latchkey.master-keys=",
                                "--latchkey.jwt-secret=" + LatchkeySpringTest.TEST_JWT_SECRET,
                                "--server.port=0")
                        .close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("LATCHKEY_MASTER_KEYS (latchkey.master-keys) is required with an external"
                        + " database (SPRING_DATASOURCE_URL)")
                .hasMessageContaining("Set it to id:base64 with a random 32-byte key");
    }
}
