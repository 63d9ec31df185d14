package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Spring Authorization Server on a random loopback port, one per test JVM: PKCE required, client_secret_basic with a
 * secret that breaks unless form-encoded, refresh-token rotation, no consent page. It also plays the person's browser,
 * driving the login form with an HTTP client that keeps cookies.
 */
final class SpringAuthorizationServer {

    static final String CLIENT_ID = "latchkey-client";
    static final String CLIENT_SECRET = "Tr1cky+S3cret%41/with/Slashes=";
    /** Registered exactly; nothing listens there: the code is read from the redirect's Location. */
    static final String REDIRECT_URI = "http://127.0.0.1:9/apps/oauth/callback";

    static final String USERNAME = "alice";
    static final String PASSWORD = "wonderland-password-7";

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static SpringAuthorizationServer shared;

    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final HttpClient backChannel = HttpClient.newHttpClient();

    private SpringAuthorizationServer() {
        LeakCheck.bridgeJavaUtilLogging();
        // Boot must not reconfigure Logback: the tests' log capture hangs on the root logger
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        String client = "spring.security.oauth2.authorizationserver.client.latchkey.";
        context = new SpringApplicationBuilder(AuthorizationServerApplication.class)
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        client + "registration.client-id=" + CLIENT_ID,
                        client + "registration.client-secret={noop}" + CLIENT_SECRET,
                        client + "registration.client-authentication-methods=client_secret_basic",
                        client + "registration.authorization-grant-types=authorization_code,refresh_token",
                        client + "registration.redirect-uris=" + REDIRECT_URI,
                        client + "registration.scopes=openid,read,write",
                        client + "require-proof-key=true",
                        client + "require-authorization-consent=false",
                        client + "token.reuse-refresh-tokens=false")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        baseUrl = "http://127.0.0.1:" + port;
    }

    static synchronized SpringAuthorizationServer shared() {
        if (shared == null) {
            shared = new SpringAuthorizationServer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    String url(String path) {
        return baseUrl + path;
    }

    /**
     * Sends the browser to the consent URL, logs in when asked to, and returns the code from the redirect to the
     * callback, after checking the state came back unchanged.
     */
    String authorize(URI authorizationUrl, String expectedState) {
        HttpResponse<String> answer = browse(authorizationUrl);
        String location = answer.headers().firstValue("Location").orElse("");
        if (location.endsWith("/login")) {
            logIn();
            answer = browse(authorizationUrl);
            location = answer.headers().firstValue("Location").orElse("");
        }
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(location).startsWith(REDIRECT_URI + "?");
        Map<String, String> callback = query(URI.create(location));
        assertThat(callback).doesNotContainKey("error").containsEntry("state", expectedState);
        return callback.get("code");
    }

    private void logIn() {
        String loginPage = browse(URI.create(url("/login"))).body();
        Matcher csrf = CSRF.matcher(loginPage);
        assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
        String form =
                "username=" + encode(USERNAME) + "&password=" + encode(PASSWORD) + "&_csrf=" + encode(csrf.group(1));
        HttpResponse<String> loggedIn = send(
                browser,
                HttpRequest.newBuilder(URI.create(url("/login")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "text/html")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    /** RFC 7662 introspection, authenticated as the client: is this token still active? */
    boolean isActive(String token) {
        String credentials = encode(CLIENT_ID) + ":" + encode(CLIENT_SECRET);
        HttpResponse<String> answer = send(
                backChannel,
                HttpRequest.newBuilder(URI.create(url("/oauth2/introspect")))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(token)))
                        .build());
        assertThat(answer.statusCode()).isEqualTo(200);
        return Stub.parse(answer.body().getBytes(StandardCharsets.UTF_8))
                .path("active")
                .asBoolean();
    }

    private HttpResponse<String> browse(URI url) {
        return send(
                browser,
                HttpRequest.newBuilder(url).header("Accept", "text/html").GET().build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(URI url) {
        return java.util.Arrays.stream(url.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Boot's auto-configuration of the authorization server, with one known person to log in as. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AuthorizationServerApplication {

        @Bean
        UserDetailsService people() {
            return new InMemoryUserDetailsManager(User.withUsername(USERNAME)
                    .password("{noop}" + PASSWORD)
                    .roles("USER")
                    .build());
        }
    }
}
