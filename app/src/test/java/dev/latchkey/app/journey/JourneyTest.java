package dev.latchkey.app.journey;

import dev.latchkey.app.LatchkeySpringTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the journey tests: Latchkey's HTTP API, the JVM's test authorization server, and for each test a
 * fresh workspace with a fresh application installed and ready, and Alice, a member of it.
 */
abstract class JourneyTest extends LatchkeySpringTest {

    static final String CALLBACK = PUBLIC_URL + "/apps/oauth/callback";

    final Api api = new Api(PUBLIC_URL);
    TestAuthorizationServer provider;
    Connections connections;
    String workspace;
    String applicationId;
    String alice;

    @BeforeEach
    void freshWorkspaceAndApplication() {
        provider = TestAuthorizationServer.shared(CALLBACK);
        connections = new Connections(api, provider);
        workspace = "ws-" + UUID.randomUUID();
        applicationId = UUID.randomUUID().toString();
        alice = JourneyFixtures.member(workspace, "uw-alice");
        if (installsReadyApplication()) {
            connections.installReady(applicationId);
        }
    }

    /** Whether each test starts with the application installed and its server variables set. */
    boolean installsReadyApplication() {
        return true;
    }
}
