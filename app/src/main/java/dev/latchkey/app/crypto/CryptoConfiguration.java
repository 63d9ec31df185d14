package dev.latchkey.app.crypto;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.persistence.DatabaseConfiguration;
import dev.latchkey.domain.secret.SecretSealer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The master keys come from {@code latchkey.master-keys}; with the embedded default and none given, from a key file
 * generated into the data directory. An external database is shared by nodes that must all hold the same keys, so
 * there they must be given. Secrets are sealed under per-owner data keys wrapped by the current master key
 * ({@link EnvelopeSecretSealer}); a revoked connection's data key is shredded ({@link ConnectionKeyShredder}).
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfiguration {

    /** Unwrapped data keys kept in memory (about 1 KiB each); every use still checks the key's row. */
    static final int DATA_KEY_CACHE_SIZE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(CryptoConfiguration.class);

    @Bean
    public MasterKeyring masterKeyring(LatchkeyProperties properties, Environment environment) {
        MasterKeyring keys;
        if (properties.masterKeys() != null && !properties.masterKeys().reveal().isBlank()) {
            keys = MasterKeyring.parse(properties.masterKeys());
        } else if (DatabaseConfiguration.usesEmbeddedDatabase(environment)) {
            keys = MasterKeyFile.loadOrGenerate(properties.dataDir());
        } else {
            throw new IllegalStateException(
                    "LATCHKEY_MASTER_KEYS (latchkey.master-keys) is required with an external database "
                            + "(SPRING_DATASOURCE_URL): every node must seal with the same keys. Set it to id:base64 "
                            + "with a random 32-byte key, e.g. master-1:$(openssl rand -base64 32)");
        }
        log.info(
                "Wrapping data keys with master key {} ({} key(s) known)",
                keys.currentId(),
                keys.ids().size());
        return keys;
    }

    @Bean
    DataKeys dataKeys(JdbcTemplate jdbc, MasterKeyring masterKeyring) {
        return new DataKeys(new DataKeyStore(jdbc), masterKeyring, DATA_KEY_CACHE_SIZE);
    }

    @Bean
    public SecretSealer secretSealer(DataKeys dataKeys, MasterKeyring masterKeyring) {
        return new EnvelopeSecretSealer(dataKeys, masterKeyring);
    }

    @Bean
    public MasterKeyRotation masterKeyRotation(JdbcTemplate jdbc, DataKeys dataKeys, MasterKeyring masterKeyring) {
        return new MasterKeyRotation(new DataKeyStore(jdbc), dataKeys, masterKeyring);
    }

    @Bean
    ConnectionKeyShredder connectionKeyShredder(DataKeys dataKeys) {
        return new ConnectionKeyShredder(dataKeys);
    }

    /** Shredding happens in the Revoke command's transaction, and a failure to shred fails the revocation. */
    @Bean
    public ConfigurerModule shredInTheRevokingTransaction() {
        return configurer -> configurer
                .eventProcessing()
                .registerSubscribingEventProcessor(ConnectionKeyShredder.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(
                        ConnectionKeyShredder.PROCESSING_GROUP, c -> PropagatingErrorHandler.instance());
    }
}
