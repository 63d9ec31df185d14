package dev.latchkey.query.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.connection.AuthorizationStarted;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.ConnectionId;
import dev.latchkey.domain.connection.ConnectionRevoked;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.connection.ReconnectStarted;
import dev.latchkey.domain.connection.RevocationOutcome;
import dev.latchkey.domain.connection.UserWorkspaceId;
import dev.latchkey.domain.connection.Visibility;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.query.TestDatabase;
import java.time.Instant;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizationStatesTest {

    private static final UserWorkspaceId ALICE = UserWorkspaceId.of("uw-alice");
    private static final Instant EXPIRES = Instant.parse("2026-03-01T09:10:00Z");

    private final AuthorizationStates states = new AuthorizationStates(TestDatabase.jdbc());
    // a subscribing processor hands plain event messages over, one at a time
    private final AnnotationEventHandlerAdapter processor = new AnnotationEventHandlerAdapter(states);
    private final ConnectionId id = ConnectionId.random();

    @BeforeEach
    void emptyTables() {
        TestDatabase.clear();
    }

    @Test
    void startedAuthorizationIsFoundByItsStateDigest() throws Exception {
        handle(started("digest-1"));

        assertThat(states.handle(new FindAuthorizationState("digest-1")))
                .contains(new AuthorizationState("digest-1", id, EXPIRES));
    }

    @Test
    void unknownDigestFindsNothing() {
        assertThat(states.handle(new FindAuthorizationState("digest-unknown"))).isEmpty();
    }

    @Test
    void acceptedCallbackUsesTheStateUp() throws Exception {
        handle(started("digest-1"));

        handle(new CallbackAccepted(id, "digest-1"));

        assertThat(states.handle(new FindAuthorizationState("digest-1"))).isEmpty();
    }

    @Test
    void reconnectReplacesThePendingState() throws Exception {
        handle(started("digest-1"));

        handle(new ReconnectStarted(id, ALICE, pending("digest-2")));

        assertThat(states.handle(new FindAuthorizationState("digest-1"))).isEmpty();
        assertThat(states.handle(new FindAuthorizationState("digest-2")))
                .map(AuthorizationState::connectionId)
                .contains(id);
    }

    @Test
    void revocationForgetsThePendingState() throws Exception {
        handle(started("digest-1"));

        handle(new ConnectionRevoked(id, RevocationOutcome.UNSUPPORTED, RevocationOutcome.UNSUPPORTED));

        assertThat(states.handle(new FindAuthorizationState("digest-1"))).isEmpty();
    }

    @Test
    void sameEventTwiceKeepsOneState() throws Exception {
        handle(started("digest-1"));
        handle(started("digest-1"));

        assertThat(TestDatabase.jdbc().queryForObject("SELECT count(*) FROM authorization_state", Long.class))
                .isEqualTo(1);
    }

    @Test
    void deletingExpiredStatesKeepsTheOthers() throws Exception {
        handle(started("digest-1"));
        ConnectionId later = ConnectionId.random();
        handle(new AuthorizationStarted(
                later,
                WorkspaceId.of("ws-1"),
                ApplicationId.of("app"),
                ProviderName.of("linear"),
                ALICE,
                Visibility.USER,
                "Linear #2",
                new PendingAuthorization("digest-2", "binding", null, EXPIRES.plusSeconds(600), null)));

        int deleted = states.deleteExpired(EXPIRES.plusSeconds(1));

        assertThat(deleted).isEqualTo(1);
        assertThat(states.handle(new FindAuthorizationState("digest-1"))).isEmpty();
        assertThat(states.handle(new FindAuthorizationState("digest-2"))).isPresent();
    }

    @Test
    void deletingExpiredStatesInBatchesDeletesAtMostTheLimitEachTime() throws Exception {
        for (int i = 1; i <= 3; i++) {
            handle(new AuthorizationStarted(
                    ConnectionId.random(),
                    WorkspaceId.of("ws-1"),
                    ApplicationId.of("app"),
                    ProviderName.of("linear"),
                    ALICE,
                    Visibility.USER,
                    "Linear #" + i,
                    new PendingAuthorization("batch-" + i, "binding", null, EXPIRES, null)));
        }

        assertThat(states.deleteExpired(EXPIRES.plusSeconds(1), 2)).isEqualTo(2);
        assertThat(states.deleteExpired(EXPIRES.plusSeconds(1), 2)).isEqualTo(1);
        assertThat(states.deleteExpired(EXPIRES.plusSeconds(1), 2)).isZero();
    }

    private AuthorizationStarted started(String digest) {
        return new AuthorizationStarted(
                id,
                WorkspaceId.of("ws-1"),
                ApplicationId.of("app"),
                ProviderName.of("linear"),
                ALICE,
                Visibility.USER,
                "Linear #1",
                pending(digest));
    }

    private static PendingAuthorization pending(String digest) {
        return new PendingAuthorization(digest, "binding", null, EXPIRES, "https://crm.example.com/settings/apps");
    }

    private void handle(Object event) throws Exception {
        processor.handle(GenericEventMessage.asEventMessage(event));
    }
}
