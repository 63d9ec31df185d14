package dev.latchkey.app.crypto;

import static dev.latchkey.app.crypto.EnvelopeSecretSealerTest.KEY_1;
import static dev.latchkey.app.crypto.EnvelopeSecretSealerTest.KEY_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.app.crypto.CryptoTestDatabase.Node;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Master key rotation, played by nodes that share the data key table and hold different master keys. */
class MasterKeyRotationTest {

    static final String KEY_3 = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

    final JdbcTemplate jdbc = CryptoTestDatabase.jdbc();
    final WorkspaceId workspace = WorkspaceId.of("ws-rotation");

    @BeforeEach
    void noDataKeys() {
        CryptoTestDatabase.clear();
    }

    @Test
    void afterRotationAndRemovalOfTheOldMasterKeyEveryValueStillOpens() {
        Map<SealingContext, Sealed> values = sealSome(CryptoTestDatabase.node("k1:" + KEY_1), 6);
        SealingContext shreddedConnection = values.keySet().iterator().next();
        CryptoTestDatabase.node("k1:" + KEY_1).dataKeys().shred(shreddedConnection.keyOwner());

        Node rotated = CryptoTestDatabase.node("k2:" + KEY_2 + ",k1:" + KEY_1);
        MasterKeyRotation.Report report = rotated.rotation().rotate();

        assertThat(report.currentMasterKeyId()).isEqualTo("k2");
        assertThat(report.rewrapped()).isEqualTo(5); // 4 connections and 1 application; the shredded key stays shredded
        assertThat(report.failed()).isZero();
        assertThat(report.liveDataKeysByMasterKey()).containsExactly(Map.entry("k2", 5L));
        assertThat(report.shreddedDataKeys()).isEqualTo(1);
        assertThat(report.removableMasterKeyIds()).containsExactly("k1");
        assertThat(report.complete()).isTrue();
        assertThat(jdbc.queryForList(
                        "select distinct master_key_id from data_key where wrapped_key is not null", String.class))
                .containsExactly("k2");

        Node withoutOldKey = CryptoTestDatabase.node("k2:" + KEY_2);
        values.forEach((context, value) -> {
            if (context.equals(shreddedConnection)) {
                assertThatThrownBy(() -> withoutOldKey.sealer().unseal(value, context))
                        .isInstanceOf(DataKeyShreddedException.class);
            } else {
                assertThat(withoutOldKey.sealer().unseal(value, context).reveal())
                        .isEqualTo("secret of " + context.associatedData());
            }
        });
        assertThat(withoutOldKey.rotation().rotate().rewrapped()).isZero();
    }

    @Test
    void aDataKeyWrappedByAMissingMasterKeyFailsLoudlyNamingBothKeys() {
        SealingContext context =
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);
        Sealed sealed = CryptoTestDatabase.node("k1:" + KEY_1).sealer().seal(Secret.of("token"), context);
        Node removedTooEarly = CryptoTestDatabase.node("k2:" + KEY_2);

        assertThatThrownBy(() -> removedTooEarly.sealer().unseal(sealed, context))
                .isInstanceOf(MasterKeyMissingException.class)
                .hasMessage("data key " + sealed.keyId() + " is wrapped by master key k1, which latchkey.master-keys"
                        + " (LATCHKEY_MASTER_KEYS) does not hold (it holds [k2]): configure it again, then rotate"
                        + " before removing it");
        assertThatThrownBy(() -> removedTooEarly.sealer().seal(Secret.of("new token"), context))
                .isInstanceOf(MasterKeyMissingException.class)
                .hasMessageContaining("master key k1");

        MasterKeyRotation.Report report = removedTooEarly.rotation().rotate();

        assertThat(report.rewrapped()).isZero();
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.dataKeyId()).isEqualTo(sealed.keyId());
            assertThat(failure.masterKeyId()).isEqualTo("k1");
            assertThat(failure.reason()).contains("is wrapped by master key k1");
        });
        assertThat(report.liveDataKeysByMasterKey()).containsExactly(Map.entry("k1", 1L));
        assertThat(report.complete()).isFalse();
        // left as it was: putting the key back recovers everything
        assertThat(CryptoTestDatabase.node("k2:" + KEY_2 + ",k1:" + KEY_1)
                        .sealer()
                        .unseal(sealed, context)
                        .reveal())
                .isEqualTo("token");
    }

    @Test
    void theApplicationKeepsSealingAndUnsealingWhileARotationRuns() throws Exception {
        Map<SealingContext, Sealed> values =
                sealSome(CryptoTestDatabase.node("k1:" + KEY_1), 2 * MasterKeyRotation.BATCH + 7);
        Node serving = CryptoTestDatabase.node("k2:" + KEY_2 + ",k1:" + KEY_1);
        Node rotating = CryptoTestDatabase.node("k2:" + KEY_2 + ",k1:" + KEY_1);
        List<Map.Entry<SealingContext, Sealed>> entries = new ArrayList<>(values.entrySet());
        AtomicBoolean rotationDone = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            int i = 0;
            while (!rotationDone.get() || i < entries.size()) {
                Map.Entry<SealingContext, Sealed> entry = entries.get(i++ % entries.size());
                try {
                    assertThat(serving.sealer()
                                    .unseal(entry.getValue(), entry.getKey())
                                    .reveal())
                            .isEqualTo("secret of " + entry.getKey().associatedData());
                    serving.sealer().seal(Secret.of("fresh"), entry.getKey());
                    served.incrementAndGet();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> served.get() >= 10 || failure.get() != null);
        MasterKeyRotation.Report report = rotating.rotation().rotate();
        rotationDone.set(true);
        traffic.get();

        assertThat(failure.get()).isNull();
        assertThat(served.get()).isGreaterThanOrEqualTo(entries.size());
        assertThat(report.rewrapped()).isEqualTo(entries.size());
        assertThat(report.complete()).isTrue();
        Node withoutOldKey = CryptoTestDatabase.node("k2:" + KEY_2);
        values.forEach((context, value) -> assertThat(
                        withoutOldKey.sealer().unseal(value, context).reveal())
                .isNotEmpty());
    }

    @Test
    void aKeyShreddedOrReWrappedElsewhereDuringARotationIsLeftAsItIs() {
        Node old = CryptoTestDatabase.node("k1:" + KEY_1);
        SealingContext context =
                SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.ACCESS_TOKEN);
        Sealed sealed = old.sealer().seal(Secret.of("token"), context);
        DataKeyStore store = new DataKeyStore(jdbc);
        StoredDataKey read = store.byId(sealed.keyId()).orElseThrow();
        Node rotating = CryptoTestDatabase.node("k2:" + KEY_2 + ",k1:" + KEY_1);

        old.dataKeys().shred(context.keyOwner());

        assertThat(store.rewrap(read, "k2", rotating.dataKeys().rewrapped(read)))
                .isFalse();
        assertThat(store.byId(sealed.keyId()).orElseThrow().shredded()).isTrue();
        assertThat(rotating.rotation().rotate().rewrapped()).isZero();
    }

    @Test
    void nodesStartedWithANewCurrentKeyWrapNewDataKeysWithIt() {
        SealingContext before = SealingContext.forServerVariable(ApplicationId.of("app-old"), "SECRET");
        SealingContext after = SealingContext.forServerVariable(ApplicationId.of("app-new"), "SECRET");
        CryptoTestDatabase.node("k1:" + KEY_1).sealer().seal(Secret.of("a"), before);

        CryptoTestDatabase.node("k3:" + KEY_3 + ",k1:" + KEY_1).sealer().seal(Secret.of("b"), after);

        assertThat(jdbc.queryForList(
                        "select key_owner || '=' || master_key_id from data_key order by key_owner", String.class))
                .containsExactly("application:app-new=k3", "application:app-old=k1");
    }

    /** One application's variable and connections' tokens, each value "secret of" its associated data. */
    private Map<SealingContext, Sealed> sealSome(Node node, int keys) {
        Map<SealingContext, Sealed> values = new LinkedHashMap<>();
        for (int i = 0; i < keys - 1; i++) {
            SealingContext context =
                    SealingContext.forConnection(workspace, ConnectionId.random(), SecretField.REFRESH_TOKEN);
            values.put(context, node.sealer().seal(Secret.of("secret of " + context.associatedData()), context));
        }
        SealingContext variable = SealingContext.forServerVariable(ApplicationId.of("app-1"), "CLIENT_SECRET");
        values.put(variable, node.sealer().seal(Secret.of("secret of " + variable.associatedData()), variable));
        return values;
    }
}
