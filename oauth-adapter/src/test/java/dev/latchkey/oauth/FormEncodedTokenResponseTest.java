package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token bodies that are not JSON (RFC 6749 legacy: GitHub's OAuth apps answer form-encoded unless asked for JSON),
 * and bodies that are nothing a token endpoint should send, from a stub provider.
 */
class FormEncodedTokenResponseTest {

    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    @RegisterExtension
    final LeakCheck leaks = new LeakCheck();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange = new ScribeJavaProviderExchange(Stub.loopbackSettings());
    private ProviderClient github;
    private Secret code;

    @BeforeEach
    void start() throws Exception {
        server.start();
        github = provider()
                .tokenEndpoint(server.url("/login/oauth/access_token").toString())
                .scopeSeparator(",")
                .clientSecret(leaks.secret("github-client-secret"))
                .client();
        code = Secret.of(leaks.secret("github-code-4f2a"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    private ExchangeResult codeExchangeAnswered(MockResponse answer) {
        server.enqueue(answer);
        return leaks.shown(exchange.exchangeCode(github, code, null));
    }

    @Test
    void githubsLegacyFormEncodedAnswerIsReadAsTokens() {
        String accessToken = leaks.secret("gho_16C7e42F292c6912E7710c838347Ae178B4a");
        String refreshToken = leaks.secret("ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246");

        ExchangeResult result = codeExchangeAnswered(Stub.body(
                200,
                FORM,
                "access_token=" + accessToken + "&expires_in=28800&refresh_token=" + refreshToken
                        + "&refresh_token_expires_in=15897600&scope=repo%2Cgist&token_type=bearer"));

        assertThat(result).isInstanceOf(TokenGrant.class);
        TokenGrant grant = (TokenGrant) result;
        assertThat(grant.accessToken().reveal()).isEqualTo(accessToken);
        assertThat(grant.refreshToken().reveal()).isEqualTo(refreshToken);
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofHours(8));
        assertThat(grant.grantedScopes()).containsExactly("repo", "gist");
        assertThat(grant.tokenType()).isEqualTo("bearer");
        JsonNode raw = Stub.parse(grant.rawResponse().utf8());
        assertThat(raw.path("refresh_token_expires_in").asText())
                .as("the raw response is kept as JSON, with the provider-specific fields")
                .isEqualTo("15897600");
        assertThat(raw.path("access_token").asText()).isEqualTo(accessToken);
    }

    @Test
    void aFormEncodedValueIsPercentAndPlusDecoded() {
        leaks.secret("at+form==");
        ExchangeResult result = codeExchangeAnswered(Stub.body(
                200,
                FORM,
                "access_token=" + leaks.secret("at%2Bform%3D%3D") + "&scope=read+write%20admin&token_type=bearer"));

        TokenGrant grant = (TokenGrant) result;
        assertThat(grant.accessToken().reveal()).isEqualTo("at+form==");
        assertThat(grant.grantedScopes()).containsExactly("read", "write", "admin");
    }

    @Test
    void aTextPlainBodyInFormEncodingIsReadAsTokens() {
        String accessToken = leaks.secret("gho_textplain0123456789");

        ExchangeResult result = codeExchangeAnswered(Stub.body(
                200, "text/plain; charset=utf-8", "access_token=" + accessToken + "&scope=repo&token_type=bearer"));

        assertThat(result).isInstanceOf(TokenGrant.class);
        assertThat(((TokenGrant) result).accessToken().reveal()).isEqualTo(accessToken);
        assertThat(((TokenGrant) result).grantedScopes()).containsExactly("repo");
    }

    @Test
    void aJsonBodyLabelledTextPlainIsStillReadAsJson() {
        ExchangeResult result = codeExchangeAnswered(
                Stub.body(200, "text/plain", "{\"access_token\":\"" + leaks.secret("at-json-as-text") + "\"}"));

        assertThat(result).isInstanceOf(TokenGrant.class);
        assertThat(((TokenGrant) result).accessToken().reveal()).isEqualTo("at-json-as-text");
    }

    @Test
    void aFormEncodedErrorIsClassifiedLikeAJsonOne() {
        ExchangeResult githubBadCode = codeExchangeAnswered(Stub.body(
                200,
                FORM,
                "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired."
                        + "&error_uri=https%3A%2F%2Fdocs.github.com%2Fapps"));
        ExchangeResult invalidGrant = codeExchangeAnswered(Stub.body(400, FORM, "error=invalid_grant"));
        ExchangeResult invalidClient = codeExchangeAnswered(Stub.body(401, "text/plain", "error=invalid_client"));
        ExchangeResult unavailable =
                codeExchangeAnswered(Stub.body(400, FORM, "error=temporarily_unavailable&access_token=ignored"));

        assertThat(githubBadCode).isEqualTo(new GrantRevoked("bad_verification_code"));
        assertThat(invalidGrant).isEqualTo(new GrantRevoked("invalid_grant"));
        assertThat(invalidClient).isEqualTo(new ClientMisconfigured("invalid_client"));
        assertThat(unavailable).isEqualTo(new Transient("temporarily_unavailable", null));
    }

    @Test
    void aFormEncodedErrorThatIsNoErrorCodeIsNeverEchoed() {
        String echoed = leaks.secret("code github-code-4f2a is not valid");

        ExchangeResult result = codeExchangeAnswered(Stub.body(400, FORM, "error=" + echoed.replace(' ', '+')));

        assertThat(((ExchangeFailure) result).reason()).isEqualTo("unrecognised-error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html; charset=utf-8", "text/plain", FORM})
    void anHtmlLoginPageAnsweredWith200IsTransientAndItsBodyIsNotQuoted(String contentType) {
        String page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
                + "<form action=\"/session?return_to=%2Foauth%3Faccess_token%3D" + leaks.secret("at-in-html")
                + "\">Sign in to continue <input name=\"authenticity_token\" value=\""
                + leaks.secret("html-csrf-token") + "\"></form></body></html>";

        ExchangeResult result = codeExchangeAnswered(Stub.body(200, contentType, page));

        assertThat(result).isInstanceOf(Transient.class);
        assertThat(((ExchangeFailure) result).reason()).isIn("not-json", "unreadable-form");
    }

    @Test
    void aFormBodyWithABrokenPercentEscapeIsTransientAndNotQuoted() {
        ExchangeResult result =
                codeExchangeAnswered(Stub.body(200, FORM, "access_token=" + leaks.secret("at-broken%zzescape")));

        assertThat(result).isEqualTo(new Transient("unreadable-form", null));
    }

    @Test
    void aFormBodyThatRepeatsAFieldIsNotReadAsTokens() {
        ExchangeResult result = codeExchangeAnswered(Stub.body(
                200, FORM, "access_token=" + leaks.secret("at-first") + "&access_token=" + leaks.secret("at-second")));

        assertThat(result).isInstanceOf(Transient.class);
    }

    @Test
    void aRotatedRefreshTokenInAFormBodyIsKept() {
        server.enqueue(Stub.body(
                200,
                FORM,
                "access_token=" + leaks.secret("gho-rotated") + "&refresh_token=" + leaks.secret("ghr-rotated")
                        + "&expires_in=28800&token_type=bearer"));

        ExchangeResult result = leaks.shown(exchange.refresh(github, Secret.of(leaks.secret("ghr-old")), List.of()));

        assertThat(result).isInstanceOf(TokenGrant.class);
        assertThat(((TokenGrant) result).refreshToken().reveal()).isEqualTo("ghr-rotated");
    }
}
