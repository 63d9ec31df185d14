package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AesGcmSecretSealerTest {

    static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    static final String TOKEN = "gho_the-access-token-itself";

    final WorkspaceId workspace = WorkspaceId.of("ws-1");
    final ConnectionId connection = ConnectionId.of("7f1c0c5e-7d55-4f5e-9e39-2a0b9e0c2d10");
    final SealingContext accessToken = SealingContext.forConnection(workspace, connection, SecretField.ACCESS_TOKEN);

    final AesGcmSecretSealer sealer = sealerWith("k1:" + KEY_1);

    @Test
    void unsealGivesBackWhatWasSealed() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);

        assertThat(sealer.unseal(sealed, accessToken).reveal()).isEqualTo(TOKEN);
    }

    @Test
    void sealedValueNamesTheCurrentKeyAndIsNonceCiphertextAndTag() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(Base64.getDecoder().decode(sealed.ciphertext())).hasSize(12 + TOKEN.length() + 16);
    }

    @Test
    void eachSealingUsesAFreshNonce() {
        assertThat(sealer.seal(Secret.of(TOKEN), accessToken)).isNotEqualTo(sealer.seal(Secret.of(TOKEN), accessToken));
    }

    @Test
    void aValueMovedToAnotherContextDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        SealingContext otherField = SealingContext.forConnection(workspace, connection, SecretField.REFRESH_TOKEN);
        SealingContext otherConnection =
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);

        assertThatThrownBy(() -> sealer.unseal(sealed, otherField)).isInstanceOf(UnsealFailedException.class);
        assertThatThrownBy(() -> sealer.unseal(sealed, otherConnection)).isInstanceOf(UnsealFailedException.class);
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[14] ^= 0x01;
        Sealed tampered = new Sealed(sealed.keyId(), Base64.getEncoder().encodeToString(bytes));

        assertThatThrownBy(() -> sealer.unseal(tampered, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining("k1");
    }

    @Test
    void aValueOfAnUnknownKeyDoesNotOpen() {
        Sealed sealed = sealerWith("k9:" + KEY_2).seal(Secret.of(TOKEN), accessToken);

        assertThatThrownBy(() -> sealer.unseal(sealed, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessage("no key named k9");
    }

    @Test
    void aValueSealedWithTheSameIdButAnotherKeyDoesNotOpen() {
        Sealed sealed = sealerWith("k1:" + KEY_2).seal(Secret.of(TOKEN), accessToken);

        assertThatThrownBy(() -> sealer.unseal(sealed, accessToken)).isInstanceOf(UnsealFailedException.class);
    }

    @Test
    void afterARotationTheNewKeySealsAndTheOldOneStillOpens() {
        Sealed beforeRotation = sealer.seal(Secret.of(TOKEN), accessToken);
        AesGcmSecretSealer rotated = sealerWith("k2:" + KEY_2 + ",k1:" + KEY_1);

        assertThat(rotated.unseal(beforeRotation, accessToken).reveal()).isEqualTo(TOKEN);
        assertThat(rotated.seal(Secret.of(TOKEN), accessToken).keyId()).isEqualTo("k2");
    }

    @Test
    void noMessageOrPrintedFormCarriesTheSecretTheCiphertextOrTheKey() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[bytes.length - 1] ^= 0x01;
        Sealed tampered = new Sealed("k1", Base64.getEncoder().encodeToString(bytes));
        SealingContext serverVariable = SealingContext.forServerVariable(ApplicationId.of("app"), "SECRET");

        Throwable tamperedFailure = catchFailure(() -> sealer.unseal(tampered, accessToken));
        Throwable movedFailure = catchFailure(() -> sealer.unseal(sealed, serverVariable));
        Throwable notBase64 = catchFailure(() -> sealer.unseal(new Sealed("k1", "!!" + TOKEN), accessToken));

        for (String printed : new String[] {
            tamperedFailure.toString(),
            String.valueOf(tamperedFailure.getCause()),
            movedFailure.toString(),
            notBase64.toString(),
            sealed.toString(),
            sealer.toString(),
            sealer.unseal(sealed, accessToken).toString()
        }) {
            assertThat(printed)
                    .doesNotContain(TOKEN)
                    .doesNotContain(sealed.ciphertext())
                    .doesNotContain(KEY_1);
        }
        assertThat(tamperedFailure.getCause()).isNull();
    }

    static AesGcmSecretSealer sealerWith(String keys) {
        return new AesGcmSecretSealer(MasterKeyring.parse(Secret.of(keys)));
    }

    private static Throwable catchFailure(Runnable action) {
        try {
            action.run();
        } catch (UnsealFailedException e) {
            return e;
        }
        throw new AssertionError("expected the value not to open");
    }
}
