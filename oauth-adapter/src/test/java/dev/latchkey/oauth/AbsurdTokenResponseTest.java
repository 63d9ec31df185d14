package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.TokenGrant;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.testsupport.LeakScanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token responses no sane provider sends but some do: a grant is still a grant, and what cannot be trusted in it is
 * dropped alone, never the tokens. Each answer comes from a stub provider (MockWebServer) through the whole adapter.
 */
class AbsurdTokenResponseTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration ONE_YEAR = Duration.ofDays(365);

    @RegisterExtension
    final LeakScanner leaks = LeakScanner.forSecrets();

    private final MockWebServer server = new MockWebServer();
    private final ScribeJavaProviderExchange exchange =
            new ScribeJavaProviderExchange(Stub.loopbackSettings(), Clock.fixed(NOW, ZoneOffset.UTC));
    private ProviderClient client;
    private Secret refreshToken;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = provider()
                .tokenEndpoint(server.url("/token").toString())
                .clientSecret(leaks.secret("absurd-client-secret"))
                .client();
        refreshToken = Secret.of(leaks.secret("rt-absurd-old"));
    }

    @AfterEach
    void stop() {
        server.close();
        exchange.close();
    }

    /** A refresh answered with a rotated grant whose other fields are {@code extraFields} (JSON members). */
    private TokenGrant rotatedGrantWith(String extraFields) {
        String body = "{\"access_token\":\"" + leaks.secret("at-absurd-new") + "\",\"refresh_token\":\""
                + leaks.secret("rt-absurd-new") + "\"," + extraFields + "}";
        server.enqueue(Stub.json(200, body));
        ExchangeResult result = leaks.shown(exchange.refresh(client, refreshToken, List.of()));
        assertThat(result).isInstanceOf(TokenGrant.class);
        TokenGrant grant = (TokenGrant) result;
        assertThat(grant.accessToken().reveal()).isEqualTo("at-absurd-new");
        assertThat(grant.refreshToken().reveal())
                .as("a rotated refresh token is never dropped")
                .isEqualTo("rt-absurd-new");
        return grant;
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    // the refresh token's lifetime

    @Test
    void theRefreshTokensLifetimeIsReadFromEachNameProvidersUseAndTheShortestKept() {
        assertThat(rotatedGrantWith("\"refresh_token_expires_in\":15897600").refreshTokenExpiresIn())
                .isEqualTo(Duration.ofSeconds(15897600));
        // QuickBooks: 100 days sliding, five years at most, as strings
        assertThat(rotatedGrantWith("\"x_refresh_token_expires_in\":\"8726400\","
                                + "\"x_refresh_token_lifetime_expires_in\":\"157680000\"")
                        .refreshTokenExpiresIn())
                .isEqualTo(Duration.ofDays(101));
        assertThat(rotatedGrantWith("\"x_refresh_token_expires_in\":157680000,"
                                + "\"x_refresh_token_lifetime_expires_in\":8726400")
                        .refreshTokenExpiresIn())
                .isEqualTo(Duration.ofDays(101));
    }

    @Test
    void aRefreshTokenLifetimeThatIsNoNumberIsUnknownAndAnAbsurdOneIsBounded() {
        assertThat(rotatedGrantWith("\"refresh_token_expires_in\":\"soon\"").refreshTokenExpiresIn())
                .isNull();
        assertThat(rotatedGrantWith("\"refresh_token_expires_in\":-5").refreshTokenExpiresIn())
                .isNull();
        assertThat(rotatedGrantWith("\"expires_in\":3600").refreshTokenExpiresIn())
                .isNull();
        assertThat(rotatedGrantWith("\"refresh_token_expires_in\":1e999").refreshTokenExpiresIn())
                .isEqualTo(TokenLifetime.LONGEST_REFRESH);
        assertThat(rotatedGrantWith("\"refresh_token_expires_in\":\"99999999999999999999\"")
                        .refreshTokenExpiresIn())
                .isEqualTo(TokenLifetime.LONGEST_REFRESH);
    }

    // expires_in

    @Test
    void expiresInOfTenToTheSeventeenIsCappedAtOneYear() {
        TokenGrant grant = rotatedGrantWith("\"expires_in\":100000000000000000");

        assertThat(grant.expiresIn()).isEqualTo(ONE_YEAR);
        assertThat(NOW.plus(grant.expiresIn())).isEqualTo(NOW.plus(Duration.ofDays(365)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "31536001",
                "9223372036854775807",
                "100000000000000000000000000000",
                "1e300",
                "1e999",
                "\"99999999999999999999\"",
                "\"100000000000000000\""
            })
    void expiresInBeyondOneYearAsNumberOrStringIsCappedAtOneYear(String expiresIn) {
        assertThat(rotatedGrantWith("\"expires_in\":" + expiresIn).expiresIn()).isEqualTo(ONE_YEAR);
    }

    @Test
    void expiresInOfExactlyOneYearIsKept() {
        assertThat(rotatedGrantWith("\"expires_in\":31536000").expiresIn()).isEqualTo(ONE_YEAR);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "-1",
                "-100000000000000000",
                "0.4",
                "-0.5",
                "\"0\"",
                "\"-60\"",
                "\"soon\"",
                "\"\"",
                "\"1e3\"",
                "\"3600s\"",
                "\"0x10\"",
                "true",
                "null",
                "{}",
                "[3600]"
            })
    void expiresInThatIsZeroNegativeOrNotANumberIsUnknown(String expiresIn) {
        assertThat(rotatedGrantWith("\"expires_in\":" + expiresIn).expiresIn()).isNull();
    }

    @Test
    void expiresInAsAStringOfDigitsIsRead() {
        // Zendesk quotes it
        assertThat(rotatedGrantWith("\"expires_in\":\"1800\"").expiresIn()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rotatedGrantWith("\"expires_in\":\" 1800 \"").expiresIn()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void expiresInWithAFractionIsReadToTheWholeSecondBelow() {
        assertThat(rotatedGrantWith("\"expires_in\":3599.9").expiresIn()).isEqualTo(Duration.ofSeconds(3599));
        assertThat(rotatedGrantWith("\"expires_in\":1800.0").expiresIn()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(rotatedGrantWith("\"expires_in\":\"1800.5\"").expiresIn()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(rotatedGrantWith("\"expires_in\":3.6e3").expiresIn()).isEqualTo(Duration.ofSeconds(3600));
    }

    // token_type

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0001", "\\t", "\\n", "\\r", "\\u001b", "\\u001f", "\\u007f"})
    void tokenTypeWithAControlCharacterIsDroppedAndTheTokensKept(String escapedControl) {
        String marker = leaks.secret("tt-marker-7f3a");

        TokenGrant grant = rotatedGrantWith(
                "\"token_type\":\"Bearer" + escapedControl + marker + "\",\"expires_in\":3600,\"scope\":\"read\"");

        assertThat(grant.tokenType()).isNull();
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(grant.grantedScopes()).containsExactly("read");
        assertThat(leaks.capturedLogs())
                .as("the fact is logged, never the value")
                .anySatisfy(line -> assertThat(line).contains("token_type"));
    }

    @Test
    void tokenTypeLongerThanSixtyFourCharactersIsDroppedAndTheTokensKept() {
        String longest = "B".repeat(64);
        String tooLong = leaks.secret("C".repeat(65));

        assertThat(rotatedGrantWith("\"token_type\":" + quoted(longest)).tokenType())
                .isEqualTo(longest);
        assertThat(rotatedGrantWith("\"token_type\":" + quoted(tooLong)).tokenType())
                .isNull();
    }

    @Test
    void ordinaryTokenTypesArePassedOn() {
        assertThat(rotatedGrantWith("\"token_type\":\"Bearer\"").tokenType()).isEqualTo("Bearer");
        assertThat(rotatedGrantWith("\"token_type\":\"N_A\"").tokenType()).isEqualTo("N_A");
    }

    // scope

    @Test
    void tenThousandGrantedScopesFallBackToTheRequestedOnes() {
        String scopes = IntStream.range(0, 10_000).mapToObj(i -> "scope:" + i).collect(Collectors.joining(" "));
        leaks.secret("scope:9999");

        TokenGrant grant = rotatedGrantWith("\"scope\":" + quoted(scopes));

        assertThat(grant.grantedScopes())
                .as("null: the provider did not say usably, so the requested scopes stand")
                .isNull();
    }

    @Test
    void twoHundredFiftySixGrantedScopesAreKeptAndOneMoreFallsBack() {
        List<String> most = IntStream.range(0, 256).mapToObj(i -> "scope:" + i).toList();
        String oneMore = String.join(" ", most) + " scope:256";

        assertThat(rotatedGrantWith("\"scope\":" + quoted(String.join(" ", most)))
                        .grantedScopes())
                .isEqualTo(most);
        assertThat(rotatedGrantWith("\"scope\":" + quoted(oneMore)).grantedScopes())
                .isNull();
    }

    @Test
    void aGrantedScopeLongerThan255CharactersFallsBackToTheRequestedOnes() {
        String longest = "s".repeat(255);

        assertThat(rotatedGrantWith("\"scope\":" + quoted("read " + longest)).grantedScopes())
                .containsExactly("read", longest);
        assertThat(rotatedGrantWith("\"scope\":" + quoted("read " + leaks.secret(longest + "s")))
                        .grantedScopes())
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"read wr\\\"ite\"",
                "\"read wr\\\\ite\"",
                "\"read wr\\u0000ite\"",
                "\"read wr\\u007fite\"",
                "\"read wr\\u0007ite\"",
                "\"read écrire\"",
                "\"read \\u2028write\"",
                "[\"read\",\"wr ite\"]",
                "[\"read\",\"wr\\\"ite\"]",
                "[\"read\",42]",
                "[\"read\",{\"a\":1}]"
            })
    void aGrantedScopeOutsideTheScopeTokenGrammarFallsBackToTheRequestedOnes(String scope) {
        assertThat(rotatedGrantWith("\"scope\":" + scope).grantedScopes()).isNull();
    }

    @Test
    void grantedScopesUsingEveryScopeTokenCharacterAreKept() {
        String everyCharacter = IntStream.rangeClosed(0x21, 0x7e)
                .filter(c -> c != '"' && c != '\\')
                .mapToObj(Character::toString)
                .collect(Collectors.joining());

        assertThat(rotatedGrantWith("\"scope\":" + quoted("read " + everyCharacter))
                        .grantedScopes())
                .containsExactly("read", everyCharacter);
    }
}
