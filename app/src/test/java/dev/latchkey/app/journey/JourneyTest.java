package dev.latchkey.app.journey;

import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.testsupport.TestAuthorizationServer;
import dev.latchkey.testsupport.TestAuthorizationServer.Client;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the journey tests: Latchkey's HTTP API, the JVM's test authorization server, and for each test a
 * fresh workspace with a fresh application installed and ready, and Alice, a member of it.
 */
abstract class JourneyTest extends LatchkeySpringTest {

    static final String CALLBACK = PUBLIC_URL + "/apps/oauth/callback";

    /**
     * Latchkey at the test authorization server. Its secret breaks unless form-encoded before Basic (RFC 6749
     * §2.3.1). Access tokens live 65 s, so with Latchkey's 60 s refresh-ahead a token becomes due for refresh 5 s
     * after it was issued.
     */
    static final Client CLIENT = Client.basic("latchkey-journey", "s3cret+with%25/and=", CALLBACK, "read", "write")
            .alsoPost()
            .withAccessTokenTimeToLive(Duration.ofSeconds(65));

    final Api api = new Api(PUBLIC_URL);
    TestAuthorizationServer provider;
    Connections connections;
    String workspace;
    String applicationId;
    String alice;

    @BeforeEach
    void freshWorkspaceAndApplication() {
        provider = TestAuthorizationServer.shared().register(CLIENT);
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
