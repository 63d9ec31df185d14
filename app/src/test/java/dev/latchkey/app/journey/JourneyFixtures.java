package dev.latchkey.app.journey;

import dev.latchkey.testsupport.TestAuthorizationServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Manifests and callers for the journey tests, pointing at the JVM's {@link TestAuthorizationServer}. */
final class JourneyFixtures {

    static final String RETURN_URL = "https://crm.example.com/settings/apps";

    private JourneyFixtures() {}

    /** A manifest like API.md's example, for one provider "acme" served by the test authorization server. */
    static Map<String, Object> manifest(String applicationId, TestAuthorizationServer provider) {
        Map<String, Object> oauth = Map.of(
                "authorizationEndpoint",
                provider.url("/oauth2/authorize"),
                "tokenEndpoint",
                provider.url("/oauth2/token"),
                "revokeEndpoint",
                provider.url("/oauth2/revoke"),
                "scopes",
                List.of("read", "write"),
                "clientIdVariable",
                "ACME_CLIENT_ID",
                "clientSecretVariable",
                "ACME_CLIENT_SECRET",
                "tokenRequestContentType",
                "form-urlencoded",
                "clientAuthentication",
                "client_secret_basic",
                "usePkce",
                true,
                "authorizationParams",
                Map.of("prompt", "consent"));
        return Map.of(
                "universalIdentifier",
                applicationId,
                "displayName",
                "Acme CRM",
                "description",
                "Connect Acme.",
                "serverVariables",
                Map.of(
                        "ACME_CLIENT_ID", Map.of("description", "client id", "isSecret", false, "isRequired", true),
                        "ACME_CLIENT_SECRET",
                                Map.of("description", "client secret", "isSecret", true, "isRequired", true)),
                "allowedReturnUrls",
                List.of(RETURN_URL),
                "connectionProviders",
                List.of(Map.of(
                        "universalIdentifier", UUID.randomUUID().toString(),
                        "name", "acme",
                        "displayName", "Acme",
                        "icon", "IconBrandAcme",
                        "type", "oauth",
                        "oauth", oauth)));
    }

    static String admin() {
        return Api.token("sub", "admin-1", "scope", "apps:admin");
    }

    static String member(String workspace, String userWorkspace) {
        return Api.token(
                "sub",
                "user:" + userWorkspace,
                "wid",
                workspace,
                "uwid",
                userWorkspace,
                "scope",
                "connections:write connections:read");
    }

    static String function(String workspace, String application, String trigger, String userWorkspace) {
        return userWorkspace == null
                ? Api.token(
                        "sub",
                        "fn:" + application,
                        "wid",
                        workspace,
                        "app",
                        application,
                        "trigger",
                        trigger,
                        "scope",
                        "connections:credentials")
                : Api.token(
                        "sub",
                        "fn:" + application,
                        "wid",
                        workspace,
                        "app",
                        application,
                        "trigger",
                        trigger,
                        "uwid",
                        userWorkspace,
                        "scope",
                        "connections:credentials");
    }
}
