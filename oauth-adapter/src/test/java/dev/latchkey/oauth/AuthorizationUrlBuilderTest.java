package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationUrlBuilderTest {

    private final AuthorizationUrlBuilder builder = new AuthorizationUrlBuilder();

    @Test
    void urlCarriesCodeResponseTypeClientCallbackScopesStateAndS256ChallengeOfTheVerifier() {
        ProviderClient client = provider()
                .authorizationEndpoint("https://provider.example/oauth/authorize")
                .clientId("client id/ü")
                .redirectUri("https://latchkey.example/apps/oauth/callback")
                .scopes("read", "write:all")
                .client();
        // RFC 7636 Appendix B: this verifier's S256 challenge
        Secret verifier = Secret.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        URI url = builder.build(client, Secret.of("state+/=value"), verifier);

        assertThat(url.getScheme() + "://" + url.getHost() + url.getPath())
                .isEqualTo("https://provider.example/oauth/authorize");
        Map<String, List<String>> query = query(url);
        assertThat(query)
                .containsEntry("response_type", List.of("code"))
                .containsEntry("client_id", List.of("client id/ü"))
                .containsEntry("redirect_uri", List.of("https://latchkey.example/apps/oauth/callback"))
                .containsEntry("scope", List.of("read write:all"))
                .containsEntry("state", List.of("state+/=value"))
                .containsEntry("code_challenge", List.of("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
                .containsEntry("code_challenge_method", List.of("S256"))
                .doesNotContainKey("code_verifier");
        assertThat(url.getRawQuery()).doesNotContain("dBjftJeZ4CVP");
    }

    @Test
    void authorizationParamsAreAddedButNeverOverrideAReservedParameter() {
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("prompt", "consent");
        hostile.put("access_type", "offline");
        hostile.put("response_type", "token");
        hostile.put("client_id", "someone-else");
        hostile.put("redirect_uri", "https://evil.example/steal");
        hostile.put("state", "fixed");
        hostile.put("scope", "admin");
        hostile.put("code_challenge", "known");
        hostile.put("code_challenge_method", "plain");
        ProviderClient client = provider().authorizationParams(hostile).client();

        Map<String, List<String>> query = query(
                builder.build(client, Secret.of("the-state"), Secret.of("a-verifier-of-enough-length-123456789012")));

        assertThat(query)
                .containsEntry("prompt", List.of("consent"))
                .containsEntry("access_type", List.of("offline"))
                .containsEntry("response_type", List.of("code"))
                .containsEntry("client_id", List.of("latchkey-client"))
                .containsEntry("redirect_uri", List.of("https://latchkey.example/apps/oauth/callback"))
                .containsEntry("state", List.of("the-state"))
                .containsEntry("scope", List.of("read write"))
                .containsEntry("code_challenge_method", List.of("S256"));
        assertThat(query.get("code_challenge")).hasSize(1).doesNotContain("known");
    }

    @Test
    void reservedParametersAlreadyOnTheEndpointAreDroppedAndOthersKept() {
        ProviderClient client = provider()
                .authorizationEndpoint("https://provider.example/authorize?audience=api&response_type=token&state=x")
                .client();

        Map<String, List<String>> query = query(builder.build(client, Secret.of("s"), null));

        assertThat(query)
                .containsEntry("audience", List.of("api"))
                .containsEntry("response_type", List.of("code"))
                .containsEntry("state", List.of("s"));
    }

    @Test
    void scopesAreJoinedByTheProvidersSeparator() {
        ProviderClient client =
                provider().scopes("repo", "user").scopeSeparator(",").client();

        assertThat(query(builder.build(client, Secret.of("s"), null))).containsEntry("scope", List.of("repo,user"));
    }

    @Test
    void noChallengeWithoutAVerifierNorWhenTheProviderTurnsPkceOff() {
        ProviderClient pkceOff = provider().usePkce(false).client();

        assertThat(query(builder.build(provider().client(), Secret.of("s"), null)))
                .doesNotContainKeys("code_challenge", "code_challenge_method");
        assertThat(query(builder.build(pkceOff, Secret.of("s"), Secret.of("verifier"))))
                .doesNotContainKeys("code_challenge", "code_challenge_method");
    }

    @Test
    void noScopeParameterWhenTheProviderDeclaresNoScopes() {
        ProviderClient client = provider().scopes().client();

        assertThat(query(builder.build(client, Secret.of("s"), null))).doesNotContainKey("scope");
    }

    static Map<String, List<String>> query(URI url) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.computeIfAbsent(decode(parts[0]), k -> new ArrayList<>())
                    .add(parts.length > 1 ? decode(parts[1]) : "");
        }
        return query;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
