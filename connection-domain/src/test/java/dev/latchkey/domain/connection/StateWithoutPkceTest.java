package dev.latchkey.domain.connection;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ProviderName;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

/** RFC 9700 §2.1: a provider without PKCE leaves the state as the only CSRF defence; it is checked all the same. */
class StateWithoutPkceTest {

    static final ConnectionId ID = ConnectionId.of("6f1c1c9e-0c52-4f5e-9d0a-6ad0f4f3c2a1");
    final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
    final FixtureConfiguration<Connection> fixture = new AggregateTestFixture<>(Connection.class);

    AuthorizationStarted startedWithoutVerifier() {
        return new AuthorizationStarted(
                ID,
                WorkspaceId.of("ws-1"),
                ApplicationId.of("b6f1a2c4-3d5e-4f60-8a7b-9c0d1e2f3a4b"),
                ProviderName.of("linear"),
                UserWorkspaceId.of("uw-alice"),
                Visibility.USER,
                "Linear #1",
                new PendingAuthorization("state-a", "browser-a", null, t0.plus(Duration.ofMinutes(10)), null));
    }

    @Test
    void aForeignStateIsRefusedWhenThereIsNoVerifier() {
        fixture.givenCurrentTime(t0)
                .andGiven(startedWithoutVerifier())
                .when(new CompleteCallback(ID, "state-b", "browser-a"))
                .expectException(AuthorizationStateRejected.class)
                .expectNoEvents();
    }

    @Test
    void theRightStateAndBrowserAreAcceptedWithoutAVerifier() {
        fixture.givenCurrentTime(t0)
                .andGiven(startedWithoutVerifier())
                .when(new CompleteCallback(ID, "state-a", "browser-a"))
                .expectEvents(new CallbackAccepted(ID, "state-a"))
                .expectResultMessagePayload(new CallbackDecision(1, null, null));
    }
}
