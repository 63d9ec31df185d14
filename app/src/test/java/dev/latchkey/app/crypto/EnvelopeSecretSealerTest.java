package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.app.crypto.CryptoTestDatabase.Node;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import dev.latchkey.domain.secret.SecretSealer;
import dev.latchkey.domain.secret.UnsealFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class EnvelopeSecretSealerTest {

    static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    static final String TOKEN = "gho_the-access-token-itself";

    final JdbcTemplate jdbc = CryptoTestDatabase.jdbc();
    final WorkspaceId workspace = WorkspaceId.of("ws-1");
    final ConnectionId connection = ConnectionId.random();
    final SealingContext accessToken = SealingContext.forConnection(workspace, connection, SecretField.ACCESS_TOKEN);

    final Node node = CryptoTestDatabase.node("k1:" + KEY_1);
    final EnvelopeSecretSealer sealer = node.sealer();

    @BeforeEach
    void noDataKeys() {
        CryptoTestDatabase.clear();
    }

    @Test
    void unsealGivesBackWhatWasSealed() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);

        assertThat(sealer.unseal(sealed, accessToken).reveal()).isEqualTo(TOKEN);
    }

    @Test
    void aValueNamesTheDataKeyOfItsOwnerAndIsNonceCiphertextAndTag() {
        Sealed first = sealer.seal(Secret.of(TOKEN), accessToken);
        Sealed sameConnection = sealer.seal(
                Secret.of(TOKEN), SealingContext.forConnection(workspace, connection, SecretField.REFRESH_TOKEN));
        Sealed otherConnection = sealer.seal(
                Secret.of(TOKEN),
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN));
        Sealed serverVariable =
                sealer.seal(Secret.of(TOKEN), SealingContext.forServerVariable(ApplicationId.of("app-1"), "SECRET"));

        assertThat(first.keyId()).matches("dk:[0-9a-f-]{36}").isEqualTo(sameConnection.keyId());
        assertThat(Set.of(first.keyId(), otherConnection.keyId(), serverVariable.keyId()))
                .hasSize(3);
        assertThat(Base64.getDecoder().decode(first.ciphertext())).hasSize(12 + TOKEN.length() + 16);
    }

    @Test
    void theDataKeyIsStoredOnlyWrappedByTheCurrentMasterKeyBoundToItsIdAndOwner() throws Exception {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);

        Map<String, Object> row = jdbc.queryForMap("select * from data_key where id = ?", sealed.keyId());
        assertThat(row.get("key_owner")).isEqualTo("connection:" + connection.value());
        assertThat(row.get("master_key_id")).isEqualTo("k1");
        assertThat(row.get("shredded_at")).isNull();
        byte[] wrapped = (byte[]) row.get("wrapped_key");
        assertThat(wrapped).hasSize(12 + 32 + 16);
        byte[] key = node.keyring()
                .current()
                .decrypt(
                        wrapped,
                        ("latchkey-data-key;id=" + sealed.keyId() + ";owner=connection:" + connection.value())
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(key).hasSize(32);
        // the value opens with the unwrapped key and the context's associated data, and with nothing else
        assertThat(new String(
                        AesGcm.aead(key)
                                .decrypt(
                                        Base64.getDecoder().decode(sealed.ciphertext()),
                                        accessToken.associatedData().getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8))
                .isEqualTo(TOKEN);
        assertThat(jdbc.queryForObject("select count(*) from data_key", Long.class))
                .isEqualTo(1L);
    }

    @Test
    void eachSealingUsesAFreshNonce() {
        assertThat(sealer.seal(Secret.of(TOKEN), accessToken)).isNotEqualTo(sealer.seal(Secret.of(TOKEN), accessToken));
    }

    @Test
    void aValueMovedToAnotherFieldConnectionOrVariableDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        SealingContext otherField = SealingContext.forConnection(workspace, connection, SecretField.REFRESH_TOKEN);
        SealingContext otherWorkspace =
                SealingContext.forConnection(WorkspaceId.of("ws-2"), connection, SecretField.ACCESS_TOKEN);
        SealingContext otherConnection =
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);
        Sealed ofOtherConnection = sealer.seal(Secret.of("another-connection-token"), otherConnection);

        assertThatThrownBy(() -> sealer.unseal(sealed, otherField))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining("does not open here");
        assertThatThrownBy(() -> sealer.unseal(sealed, otherWorkspace))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining("does not open here");
        assertThatThrownBy(() -> sealer.unseal(sealed, otherConnection))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining("belongs to connection:" + connection.value());
        // relabelled with the other connection's data key: that key opens, the associated data does not
        Sealed relabelled = new Sealed(ofOtherConnection.keyId(), sealed.ciphertext());
        assertThatThrownBy(() -> sealer.unseal(relabelled, otherConnection))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining("does not open here");
        // another connection's value presented as this connection's, under either key id
        assertThatThrownBy(() -> sealer.unseal(ofOtherConnection, accessToken))
                .isInstanceOf(UnsealFailedException.class);
        assertThatThrownBy(() -> sealer.unseal(new Sealed(sealed.keyId(), ofOtherConnection.ciphertext()), accessToken))
                .isInstanceOf(UnsealFailedException.class);

        SealingContext variable = SealingContext.forServerVariable(ApplicationId.of("app-1"), "CLIENT_SECRET");
        Sealed secret = sealer.seal(Secret.of("client-secret"), variable);
        assertThatThrownBy(() ->
                        sealer.unseal(secret, SealingContext.forServerVariable(ApplicationId.of("app-1"), "CLIENT_ID")))
                .isInstanceOf(UnsealFailedException.class);
        assertThatThrownBy(() -> sealer.unseal(
                        secret, SealingContext.forServerVariable(ApplicationId.of("app-2"), "CLIENT_SECRET")))
                .isInstanceOf(UnsealFailedException.class);
        assertThat(sealer.unseal(sealed, accessToken).reveal()).isEqualTo(TOKEN);
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[14] ^= 0x01;
        Sealed tampered = new Sealed(sealed.keyId(), Base64.getEncoder().encodeToString(bytes));

        assertThatThrownBy(() -> sealer.unseal(tampered, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessageContaining(sealed.keyId());
    }

    @Test
    void aTamperedOrMovedWrappedDataKeyDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        Sealed other = sealer.seal(
                Secret.of(TOKEN),
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.CODE_VERIFIER));
        // the other connection's wrapped key copied into this connection's row
        jdbc.update(
                "update data_key set wrapped_key = (select wrapped_key from data_key where id = ?) where id = ?",
                other.keyId(),
                sealed.keyId());

        EnvelopeSecretSealer coldNode = CryptoTestDatabase.node("k1:" + KEY_1).sealer();
        assertThatThrownBy(() -> coldNode.unseal(sealed, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessage("data key " + sealed.keyId()
                        + " does not unwrap with master key k1: altered, or wrapped by another key of that name");
    }

    @Test
    void anUnknownDataKeyDoesNotOpen() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        Sealed unknown = new Sealed("dk:00000000-0000-0000-0000-000000000000", sealed.ciphertext());

        assertThatThrownBy(() -> sealer.unseal(unknown, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessage("no data key named dk:00000000-0000-0000-0000-000000000000 (unknown here)");
    }

    @Test
    void aValueSealedDirectlyByAMasterKeyStillOpensWhileThatKeyIsConfigured() throws Exception {
        byte[] direct = MasterKeyring.parse(Secret.of("k1:" + KEY_1))
                .current()
                .encrypt(
                        TOKEN.getBytes(StandardCharsets.UTF_8),
                        accessToken.associatedData().getBytes(StandardCharsets.UTF_8));
        Sealed legacy = new Sealed("k1", Base64.getEncoder().encodeToString(direct));

        assertThat(sealer.unseal(legacy, accessToken).reveal()).isEqualTo(TOKEN);
        assertThatThrownBy(() -> CryptoTestDatabase.node("k2:" + KEY_2).sealer().unseal(legacy, accessToken))
                .isInstanceOf(UnsealFailedException.class)
                .hasMessage("no key named k1");
    }

    @Test
    void aShreddedKeyFailsOnEveryNodeEvenOneThatHasItCached() {
        Node other = CryptoTestDatabase.node("k1:" + KEY_1);
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        assertThat(other.sealer().unseal(sealed, accessToken).reveal()).isEqualTo(TOKEN); // cached there now

        String shredded = node.dataKeys().shred(accessToken.keyOwner());

        assertThat(shredded).isEqualTo(sealed.keyId());
        for (EnvelopeSecretSealer anyNode : List.of(sealer, other.sealer())) {
            assertThatThrownBy(() -> anyNode.unseal(sealed, accessToken))
                    .isInstanceOf(DataKeyShreddedException.class)
                    .hasMessage(
                            "data key " + sealed.keyId() + " of connection:" + connection.value() + " was shredded");
            assertThatThrownBy(() -> anyNode.seal(Secret.of(TOKEN), accessToken))
                    .isInstanceOf(ConnectionRevokedException.class);
        }
        assertThat(jdbc.queryForMap("select master_key_id, wrapped_key from data_key where id = ?", sealed.keyId()))
                .containsEntry("master_key_id", null)
                .containsEntry("wrapped_key", null);
    }

    @Test
    void valuesUnsealedInOneUseOpenEachInItsOwnContext() {
        SealingContext other = SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);
        Sealed mine = sealer.seal(Secret.of(TOKEN), accessToken);
        Sealed theirs = sealer.seal(Secret.of("their-token"), other);

        SecretSealer opened = sealer.forOneUse(List.of(mine, theirs));

        assertThat(opened.unseal(mine, accessToken).reveal()).isEqualTo(TOKEN);
        assertThat(opened.unseal(theirs, other).reveal()).isEqualTo("their-token");
        assertThatThrownBy(() -> opened.unseal(theirs, accessToken))
                .as("a value moved to another connection opens no more when unsealed in one use")
                .isInstanceOf(UnsealFailedException.class);
    }

    @Test
    void aKeyShreddedOnAnotherNodeOpensNothingInAUseThatFollows() {
        Node other = CryptoTestDatabase.node("k1:" + KEY_1);
        SealingContext kept = SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);
        Sealed shreddedValue = sealer.seal(Secret.of(TOKEN), accessToken);
        Sealed keptValue = sealer.seal(Secret.of("kept-token"), kept);
        assertThat(sealer.unseal(shreddedValue, accessToken).reveal()).isEqualTo(TOKEN); // cached on this node

        other.dataKeys().shred(accessToken.keyOwner());
        SecretSealer opened = sealer.forOneUse(List.of(shreddedValue, keptValue));

        assertThatThrownBy(() -> opened.unseal(shreddedValue, accessToken))
                .isInstanceOf(DataKeyShreddedException.class);
        assertThat(opened.unseal(keptValue, kept).reveal()).isEqualTo("kept-token");
    }

    @Test
    void aValueWhoseKeyWasNotReadAtTheStartIsReadAsItIsUnsealed() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);

        SecretSealer opened = sealer.forOneUse(List.of());

        assertThat(opened.unseal(sealed, accessToken).reveal()).isEqualTo(TOKEN);
    }

    @Test
    void valuesSealedInOneUseShareTheOwnersKeyAndOpenEverywhere() {
        SecretSealer once = sealer.forOneUse(List.of());
        SealingContext refreshToken = SealingContext.forConnection(workspace, connection, SecretField.REFRESH_TOKEN);

        Sealed access = once.seal(Secret.of(TOKEN), accessToken);
        Sealed refresh = once.seal(Secret.of("refresh"), refreshToken);

        assertThat(access.keyId()).isEqualTo(refresh.keyId());
        Node other = CryptoTestDatabase.node("k1:" + KEY_1);
        assertThat(other.sealer().unseal(access, accessToken).reveal()).isEqualTo(TOKEN);
        assertThat(other.sealer().unseal(refresh, refreshToken).reveal()).isEqualTo("refresh");
    }

    @Test
    void aConnectionShreddedBeforeTheUseIsNotSealedForInIt() {
        sealer.seal(Secret.of(TOKEN), accessToken);
        CryptoTestDatabase.node("k1:" + KEY_1).dataKeys().shred(accessToken.keyOwner());

        SecretSealer once = sealer.forOneUse(List.of());

        assertThatThrownBy(() -> once.seal(Secret.of(TOKEN), accessToken))
                .isInstanceOf(ConnectionRevokedException.class);
    }

    @Test
    void shreddingAnOwnerWithoutAKeyLeavesATombstoneSoNoneIsMadeLater() {
        SealingContext variable = SealingContext.forServerVariable(ApplicationId.of("app-9"), "SECRET");

        node.dataKeys().shred(variable.keyOwner());
        node.dataKeys().shred(variable.keyOwner());

        assertThatThrownBy(() -> sealer.seal(Secret.of(TOKEN), variable))
                .isInstanceOf(DataKeyShreddedException.class)
                .hasMessageContaining("of application:app-9 was shredded");
        assertThat(jdbc.queryForObject("select count(*) from data_key", Long.class))
                .isEqualTo(1L);
    }

    @Test
    void nodesSealingForANewOwnerAtOnceAgreeOnOneDataKey() throws Exception {
        List<EnvelopeSecretSealer> nodes = List.of(
                sealer,
                CryptoTestDatabase.node("k1:" + KEY_1).sealer(),
                CryptoTestDatabase.node("k1:" + KEY_1).sealer());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Sealed>> seals = IntStream.range(0, 30)
                    .mapToObj(i -> (Callable<Sealed>) () -> nodes.get(i % 3).seal(Secret.of(TOKEN + i), accessToken))
                    .toList();
            List<Sealed> sealed = threads.invokeAll(seals).stream()
                    .map(EnvelopeSecretSealerTest::done)
                    .toList();

            assertThat(sealed)
                    .extracting(Sealed::keyId)
                    .containsOnly(sealed.get(0).keyId());
            for (int i = 0; i < sealed.size(); i++) {
                assertThat(nodes.get((i + 1) % 3)
                                .unseal(sealed.get(i), accessToken)
                                .reveal())
                        .isEqualTo(TOKEN + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noMessageOrPrintedFormCarriesTheSecretTheCiphertextOrAKey() {
        Sealed sealed = sealer.seal(Secret.of(TOKEN), accessToken);
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[bytes.length - 1] ^= 0x01;
        Sealed tampered = new Sealed(sealed.keyId(), Base64.getEncoder().encodeToString(bytes));
        SealingContext serverVariable = SealingContext.forServerVariable(ApplicationId.of("app"), "SECRET");
        String wrapped = Base64.getEncoder()
                .encodeToString(jdbc.queryForObject(
                        "select wrapped_key from data_key where id = ?", byte[].class, sealed.keyId()));

        Throwable tamperedFailure = catchFailure(() -> sealer.unseal(tampered, accessToken));
        Throwable movedFailure = catchFailure(() -> sealer.unseal(sealed, serverVariable));
        Throwable notBase64 = catchFailure(() -> sealer.unseal(new Sealed(sealed.keyId(), "!!" + TOKEN), accessToken));
        Throwable missingMaster = catchFailure(
                () -> CryptoTestDatabase.node("k2:" + KEY_2).sealer().unseal(sealed, accessToken));

        for (String printed : new String[] {
            tamperedFailure.toString(),
            String.valueOf(tamperedFailure.getCause()),
            movedFailure.toString(),
            notBase64.toString(),
            missingMaster.toString(),
            sealed.toString(),
            sealer.toString(),
            sealer.unseal(sealed, accessToken).toString()
        }) {
            assertThat(printed)
                    .doesNotContain(TOKEN)
                    .doesNotContain(sealed.ciphertext())
                    .doesNotContain(wrapped)
                    .doesNotContain(KEY_1)
                    .doesNotContain(KEY_2);
        }
        assertThat(tamperedFailure.getCause()).isNull();
    }

    private static Throwable catchFailure(Runnable action) {
        try {
            action.run();
        } catch (UnsealFailedException e) {
            return e;
        }
        throw new AssertionError("expected the value not to open");
    }

    private static <T> T done(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
