package dev.latchkey.app.crypto;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database of its own on the test JVM's {@link TestPostgres}, migrated like the application's, for the crypto tests that play
 * several nodes with different master keys: their data keys never reach the shared application database.
 */
final class CryptoTestDatabase {

    static final String DATABASE = "latchkey_crypto_test";

    private static JdbcTemplate jdbc;

    private CryptoTestDatabase() {}

    static synchronized JdbcTemplate jdbc() {
        if (jdbc == null) {
            TestPostgres.migrated(DATABASE);
            // pooled: the nodes of a test work on the table at the same time
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(TestPostgres.jdbcUrl(DATABASE));
            dataSource.setUsername(TestPostgres.username());
            dataSource.setMaximumPoolSize(8);
            jdbc = new JdbcTemplate(dataSource);
        }
        return jdbc;
    }

    /** Forgets every data key. */
    static void clear() {
        jdbc().update("delete from data_key");
    }

    /** One node: its own cache, the given master keys, the shared table. */
    static Node node(String masterKeys) {
        MasterKeyring keyring = MasterKeyring.parse(Secret.of(masterKeys));
        DataKeyStore store = new DataKeyStore(jdbc());
        DataKeys dataKeys = new DataKeys(store, keyring, 100);
        return new Node(
                keyring,
                dataKeys,
                new EnvelopeSecretSealer(dataKeys, keyring),
                new MasterKeyRotation(store, dataKeys, keyring));
    }

    record Node(MasterKeyring keyring, DataKeys dataKeys, EnvelopeSecretSealer sealer, MasterKeyRotation rotation) {}
}
