package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.domain.secret.Secret;
import org.junit.jupiter.api.Test;

class MasterKeyringTest {

    static final String KEY_1 = EnvelopeSecretSealerTest.KEY_1;
    static final String KEY_2 = EnvelopeSecretSealerTest.KEY_2;

    @Test
    void theFirstKeyIsCurrentAndAllAreKnown() {
        MasterKeyring keys = MasterKeyring.parse(Secret.of(" k2:" + KEY_2 + " , k1:" + KEY_1 + "\n"));

        assertThat(keys.currentId()).isEqualTo("k2");
        assertThat(keys.ids()).containsExactly("k2", "k1");
        assertThat(keys.toString()).doesNotContain(KEY_1).doesNotContain(KEY_2);
    }

    @Test
    void rejectsAKeyThatIsNotAes256WithoutPrintingIt() {
        String shortKey = "AAECAwQFBgcICQoLDA0ODw==";

        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("k1:" + shortKey)))
                .hasMessageContaining("32 bytes")
                .hasMessageNotContaining(shortKey);
    }

    @Test
    void rejectsMalformedEntriesWithoutPrintingThem() {
        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("k1:" + KEY_1 + "," + KEY_2)))
                .hasMessage("master keys: entry 2 is not id:base64");
        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("k1:not base64 " + KEY_1)))
                .hasMessage("master keys: the key k1 is not valid Base64");
        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("k 1:" + KEY_1)))
                .hasMessageStartingWith("master keys: the id of entry 1 must match");
        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("k1:" + KEY_1 + ",k1:" + KEY_2)))
                .hasMessage("master keys: the id k1 is used twice");
        assertThatThrownBy(() -> MasterKeyring.parse(Secret.of("  ")))
                .hasMessageStartingWith("master keys: none given");
    }
}
