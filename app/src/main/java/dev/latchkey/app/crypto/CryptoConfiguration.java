package dev.latchkey.app.crypto;

import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.persistence.DatabaseConfiguration;
import dev.latchkey.domain.secret.SecretSealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The master keys come from {@code latchkey.master-keys}; with the embedded default and none given, from a key file
 * generated into the data directory. An external database is shared by nodes that must all hold the same keys, so
 * there they must be given.
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfiguration {

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
                            + "(SPRING_DATASOURCE_URL): every node must seal with the same keys");
        }
        log.info(
                "Sealing secrets with master key {} ({} key(s) known)",
                keys.currentId(),
                keys.ids().size());
        return keys;
    }

    @Bean
    public SecretSealer secretSealer(MasterKeyring masterKeyring) {
        return new AesGcmSecretSealer(masterKeyring);
    }
}
