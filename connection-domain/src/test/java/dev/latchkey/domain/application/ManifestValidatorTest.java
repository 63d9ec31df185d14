package dev.latchkey.domain.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {

    final ManifestValidator strict = new ManifestValidator(new EndpointPolicy(false));
    final ManifestValidator loopbackAllowed = new ManifestValidator(new EndpointPolicy(true));
    final ApplicationId id = ApplicationId.of(ManifestFixtures.APP_ID);

    static OAuthSettings withEndpoints(String authorize, String token) {
        OAuthSettings o = ManifestFixtures.linearOAuth();
        return new OAuthSettings(
                authorize,
                token,
                null,
                o.scopes(),
                o.clientIdVariable(),
                o.clientSecretVariable(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    static OAuthSettings withLifetimes(Long defaultExpiresIn, Boolean tokensExpire, String keepAlive) {
        OAuthSettings o = ManifestFixtures.linearOAuth();
        return new OAuthSettings(
                o.authorizationEndpoint(),
                o.tokenEndpoint(),
                null,
                o.scopes(),
                o.clientIdVariable(),
                o.clientSecretVariable(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                defaultExpiresIn,
                tokensExpire,
                keepAlive);
    }

    @Test
    void tokenLifetimesAreCheckedEveryOneAtOnce() {
        assertThat(strict.validate(id, ManifestFixtures.linear(withLifetimes(1800L, null, "P90D"))))
                .isEmpty();
        assertThat(strict.validate(id, ManifestFixtures.linear(withLifetimes(null, false, null))))
                .isEmpty();
        String o = "connectionProviders[0].oauth.";
        assertThat(fields(strict.validate(id, ManifestFixtures.linear(withLifetimes(0L, null, "soon")))))
                .containsExactly(o + "defaultExpiresIn", o + "keepAlive");
        assertThat(fields(strict.validate(id, ManifestFixtures.linear(withLifetimes(40_000_000L, false, "PT1M")))))
                .containsExactly(o + "defaultExpiresIn", o + "defaultExpiresIn", o + "keepAlive");
        assertThat(fields(strict.validate(id, ManifestFixtures.linear(withLifetimes(null, null, "P30D\u0000")))))
                .containsExactly(o + "keepAlive");
    }

    @Test
    void theDeclaredLifetimesReadAsDurations() {
        assertThat(withLifetimes(1800L, null, "P90D").tokenLifetimes())
                .isEqualTo(new TokenLifetimes(Duration.ofSeconds(1800), true, Duration.ofDays(90)));
        assertThat(withLifetimes(null, false, null).tokenLifetimes().accessTokenLifetime(Duration.ofHours(1)))
                .isNull();
        assertThat(ManifestFixtures.linearOAuth().tokenLifetimes()).isEqualTo(TokenLifetimes.AS_EACH_RESPONSE_SAYS);
    }

    @Test
    void theExampleManifestIsValid() {
        assertThat(strict.validate(id, ManifestFixtures.linear())).isEmpty();
    }

    @Test
    void plainHttpIsAllowedOnlyToLoopbackAndOnlyWhenEnabled() {
        Manifest loopback = ManifestFixtures.linear(
                withEndpoints("http://127.0.0.1:9000/authorize", "http://localhost:9000/token"));
        assertThat(fields(strict.validate(id, loopback)))
                .containsExactly(
                        "connectionProviders[0].oauth.authorizationEndpoint",
                        "connectionProviders[0].oauth.tokenEndpoint");
        assertThat(loopbackAllowed.validate(id, loopback)).isEmpty();

        Manifest remoteHttp =
                ManifestFixtures.linear(withEndpoints("http://linear.app/authorize", "http://10.0.0.1/token"));
        assertThat(fields(loopbackAllowed.validate(id, remoteHttp))).hasSize(2);
    }

    @Test
    void relativeOrUserInfoUrlsAreRefused() {
        Manifest manifest =
                ManifestFixtures.linear(withEndpoints("/oauth/authorize", "https://user:pw@api.linear.app/token"));
        assertThat(fields(strict.validate(id, manifest)))
                .containsExactly(
                        "connectionProviders[0].oauth.authorizationEndpoint",
                        "connectionProviders[0].oauth.tokenEndpoint");
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        Manifest manifest = new Manifest(
                "not-a-uuid",
                " ",
                null,
                Map.of(),
                List.of("javascript:alert(1)"),
                List.of(
                        new ConnectionProviderDefinition("also-not-a-uuid", "Linear", null, null, "pat", null),
                        new ConnectionProviderDefinition(
                                ManifestFixtures.PROVIDER_ID,
                                "linear",
                                "Linear",
                                null,
                                "oauth",
                                ManifestFixtures.linearOAuth())));
        assertThat(fields(strict.validate(id, manifest)))
                .contains(
                        "universalIdentifier",
                        "displayName",
                        "allowedReturnUrls[0]",
                        "connectionProviders[0].universalIdentifier",
                        "connectionProviders[0].name",
                        "connectionProviders[0].displayName",
                        "connectionProviders[0].type",
                        "connectionProviders[0].oauth",
                        "connectionProviders[1].oauth.clientIdVariable",
                        "connectionProviders[1].oauth.clientSecretVariable");
    }

    @Test
    void reservedAuthorizationParametersCannotBeOverridden() {
        OAuthSettings o = ManifestFixtures.linearOAuth();
        for (String reserved : OAuthSettings.RESERVED_AUTHORIZATION_PARAMS) {
            OAuthSettings overriding = new OAuthSettings(
                    o.authorizationEndpoint(),
                    o.tokenEndpoint(),
                    null,
                    o.scopes(),
                    o.clientIdVariable(),
                    o.clientSecretVariable(),
                    null,
                    null,
                    null,
                    Map.of(reserved, "x"),
                    null,
                    null,
                    null,
                    null);
            assertThat(fields(strict.validate(id, ManifestFixtures.linear(overriding))))
                    .contains("connectionProviders[0].oauth.authorizationParams." + reserved);
        }
    }

    @Test
    void duplicateProviderNamesAreRefused() {
        ConnectionProviderDefinition first =
                ManifestFixtures.linear().connectionProviders().get(0);
        ConnectionProviderDefinition second = new ConnectionProviderDefinition(
                "0e0f6f8a-6f0e-4e8e-9e4f-2f1b6c7d8e9f", "linear", "Linear 2", null, "oauth", first.oauth());
        Manifest manifest = new Manifest(
                ManifestFixtures.APP_ID,
                "Linear",
                null,
                ManifestFixtures.linear().serverVariables(),
                List.of(),
                List.of(first, second));
        assertThat(fields(strict.validate(id, manifest))).containsExactly("connectionProviders[1].name");
    }

    @Test
    void theIdentifierMustMatchThePath() {
        assertThat(fields(strict.validate(
                        ApplicationId.of("11111111-2222-3333-4444-555555555555"), ManifestFixtures.linear())))
                .containsExactly("universalIdentifier");
    }

    static Manifest withText(String displayName, String description, String providerDisplayName, String icon) {
        Manifest m = ManifestFixtures.linear();
        ConnectionProviderDefinition p = m.connectionProviders().get(0);
        return new Manifest(
                m.universalIdentifier(),
                displayName,
                description,
                Map.of(
                        "LINEAR_CLIENT_ID", new ServerVariableDeclaration("OAuth\u0000client ID", false, true),
                        "LINEAR_CLIENT_SECRET", new ServerVariableDeclaration("line one\n\tline two", true, true)),
                m.allowedReturnUrls(),
                List.of(new ConnectionProviderDefinition(
                        p.universalIdentifier(), p.name(), providerDisplayName, icon, p.type(), p.oauth())));
    }

    @Test
    void controlCharactersAreRefusedInEveryTextAndTabAndNewlineOnlyInDescriptions() {
        Manifest manifest = withText("Linear\u0000", "Connect\u0001 Linear.", "Lin\u007fear", "Icon\u001b");

        assertThat(fields(strict.validate(id, manifest)))
                .containsExactlyInAnyOrder(
                        "displayName",
                        "description",
                        "serverVariables.LINEAR_CLIENT_ID.description",
                        "connectionProviders[0].displayName",
                        "connectionProviders[0].icon");
        assertThat(strict.validate(id, withText("Linear", "line one\n\tline two", "Linear", "IconBrandLinear")))
                .extracting(FieldError::field)
                .containsExactly("serverVariables.LINEAR_CLIENT_ID.description");
    }

    @Test
    void controlCharactersInProviderFieldsAreRefusedNamingTheField() {
        OAuthSettings o = ManifestFixtures.linearOAuth();
        OAuthSettings bad = new OAuthSettings(
                "https://linear.app/oauth/authorize\u0000",
                o.tokenEndpoint(),
                o.revokeEndpoint(),
                List.of("read\u007f"),
                o.clientIdVariable(),
                o.clientSecretVariable(),
                null,
                null,
                null,
                Map.of("prompt", "con\u0000sent"),
                o.userInfoEndpoint(),
                "/em\u0000ail",
                "https://linear.app\u0000",
                "\u0001");

        assertThat(fields(strict.validate(id, ManifestFixtures.linear(bad))))
                .containsExactlyInAnyOrder(
                        "connectionProviders[0].oauth.authorizationEndpoint",
                        "connectionProviders[0].oauth.scopes[0]",
                        "connectionProviders[0].oauth.authorizationParams.prompt",
                        "connectionProviders[0].oauth.handleField",
                        "connectionProviders[0].oauth.issuer",
                        "connectionProviders[0].oauth.scopeSeparator");
    }

    @Test
    void nullElementsAreNamedNotAGenericError() {
        Manifest m = ManifestFixtures.linear();
        OAuthSettings o = m.connectionProviders().get(0).oauth();
        OAuthSettings nullScope = new OAuthSettings(
                o.authorizationEndpoint(),
                o.tokenEndpoint(),
                null,
                java.util.Arrays.asList("read", null),
                o.clientIdVariable(),
                o.clientSecretVariable(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        java.util.Map<String, ServerVariableDeclaration> variables = new java.util.HashMap<>(m.serverVariables());
        variables.put("UNUSED", null);
        Manifest manifest = new Manifest(
                m.universalIdentifier(),
                m.displayName(),
                m.description(),
                variables,
                java.util.Arrays.asList((String) null),
                java.util.Arrays.asList(
                        new ConnectionProviderDefinition(
                                ManifestFixtures.PROVIDER_ID, "linear", "Linear", null, "oauth", nullScope),
                        null));

        assertThat(fields(strict.validate(id, manifest)))
                .containsExactlyInAnyOrder(
                        "serverVariables.UNUSED",
                        "allowedReturnUrls[0]",
                        "connectionProviders[0].oauth.scopes[1]",
                        "connectionProviders[1]");
    }
}
