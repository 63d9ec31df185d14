package dev.latchkey.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OAuth 2 authorization server for tests: Spring Authorization Server on a random loopback port, one per test
 * JVM. Each test registers the clients it uses ({@link #register}); every client gets PKCE (S256) required, its exact
 * redirect URI, single-use codes, refresh-token rotation and no consent page. Also RFC 7009 revocation and RFC 7662
 * introspection, OpenID Connect (an ID token for scope {@code openid}, the user-info endpoint), one person to log in
 * as through the login form, driven by an HTTP client that keeps cookies, and a count of the refresh grants asked
 * for.
 */
public final class TestAuthorizationServer {

    public static final String USERNAME = "alice";
    public static final String PASSWORD = "wonderland-password-7";

    /** Spring Authorization Server's default. */
    public static final Duration DEFAULT_ACCESS_TOKEN_TIME_TO_LIVE = Duration.ofMinutes(5);

    /** The server's own client, for introspection, which answers for the tokens of every client. */
    private static final RegisteredClient INTROSPECTOR = RegisteredClient.withId("test-introspector")
            .clientId("test-introspector")
            .clientSecret("{noop}introspector-secret-7")
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .build();

    private static final String INTROSPECTOR_AUTHORIZATION = "Basic "
            + Base64.getEncoder()
                    .encodeToString("test-introspector:introspector-secret-7".getBytes(StandardCharsets.UTF_8));

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final AtomicInteger refreshGrants = new AtomicInteger();
    private static TestAuthorizationServer shared;

    private final ConfigurableApplicationContext context;
    private final InMemoryRegisteredClientRepository clients;
    private final Map<String, Client> registered = new ConcurrentHashMap<>();
    private final String baseUrl;
    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final HttpClient backChannel = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A client as registered at the server.
     *
     * @param authenticationMethods {@code client_secret_basic} (URL-decoding the credentials), {@code
     *     client_secret_post}
     */
    public record Client(
            String id,
            String secret,
            String redirectUri,
            List<String> scopes,
            Set<String> authenticationMethods,
            Duration accessTokenTimeToLive) {

        public Client {
            scopes = List.copyOf(scopes);
            authenticationMethods = Set.copyOf(authenticationMethods);
        }

        /** Authenticating with client_secret_basic; access tokens live {@link #DEFAULT_ACCESS_TOKEN_TIME_TO_LIVE}. */
        public static Client basic(String id, String secret, String redirectUri, String... scopes) {
            return new Client(
                    id,
                    secret,
                    redirectUri,
                    List.of(scopes),
                    Set.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue()),
                    DEFAULT_ACCESS_TOKEN_TIME_TO_LIVE);
        }

        /** Also accepted with client_secret_post. */
        public Client alsoPost() {
            Set<String> methods = new HashSet<>(authenticationMethods);
            methods.add(ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue());
            return new Client(id, secret, redirectUri, scopes, methods, accessTokenTimeToLive);
        }

        public Client withAccessTokenTimeToLive(Duration timeToLive) {
            return new Client(id, secret, redirectUri, scopes, authenticationMethods, timeToLive);
        }

        /** The HTTP Basic header of RFC 6749 §2.3.1: id and secret form-encoded first. */
        public String basicAuthorization() {
            String credentials = formEncoded(id) + ":" + formEncoded(secret);
            return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Client[" + id + ", " + redirectUri + "]";
        }
    }

    private TestAuthorizationServer() {
        // Tomcat logs through java.util.logging: bridged before it starts, so a test's log capture sees it
        LeakScanner.bridgeJavaUtilLogging();
        // a second Boot application in this JVM must not reconfigure the logging of the first (or of the tests)
        String loggingSystem = "org.springframework.boot.logging.LoggingSystem";
        System.setProperty(loggingSystem, "none");
        try {
            context = new SpringApplicationBuilder(AuthorizationServerApplication.class)
                    .properties(
                            "server.address=127.0.0.1",
                            "server.port=0",
                            "spring.main.banner-mode=off",
                            "spring.jmx.enabled=false")
                    .run();
        } finally {
            System.clearProperty(loggingSystem);
        }
        clients = context.getBean(InMemoryRegisteredClientRepository.class);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        baseUrl = "http://127.0.0.1:" + port;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized TestAuthorizationServer shared() {
        if (shared == null) {
            shared = new TestAuthorizationServer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    /** Registers the client (again: the latest registration of an id wins) and returns this server. */
    public TestAuthorizationServer register(Client client) {
        if (!client.equals(registered.get(client.id()))) {
            clients.save(registration(client));
            registered.put(client.id(), client);
        }
        return this;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    /** How many refresh grants the token endpoint was asked for since the JVM started, by any client. */
    public int refreshGrants() {
        return refreshGrants.get();
    }

    /**
     * Sends this server's own browser to the authorization URL, logs in when asked to, and returns the code from the
     * redirect to the client's callback, after checking the state came back unchanged. Nothing needs to listen at the
     * callback: the code is read from the redirect's Location.
     */
    public String authorize(Client client, URI authorizationUrl, String expectedState) {
        HttpResponse<String> answer = browse(browser, authorizationUrl);
        String location = answer.headers().firstValue("Location").orElse("");
        if (location.endsWith("/login")) {
            logIn(browser);
            answer = browse(browser, authorizationUrl);
            location = answer.headers().firstValue("Location").orElse("");
        }
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(location).startsWith(client.redirectUri() + "?");
        Map<String, String> callback = query(URI.create(location));
        assertThat(callback).doesNotContainKey("error").containsEntry("state", expectedState);
        return callback.get("code");
    }

    /**
     * Logs {@link #USERNAME} in through the login form with the given browser, which must keep cookies and follow no
     * redirect: GET {@code /login}, then POST the credentials with the page's CSRF token.
     */
    public void logIn(HttpClient browser) {
        String loginPage = browse(browser, URI.create(url("/login"))).body();
        Matcher csrf = CSRF.matcher(loginPage);
        assertThat(csrf.find()).as("the login page carries a CSRF token").isTrue();
        String form = "username=" + formEncoded(USERNAME) + "&password=" + formEncoded(PASSWORD) + "&_csrf="
                + formEncoded(csrf.group(1));
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

    /** RFC 7662 introspection: does the server still accept this token (of any client)? */
    public boolean isActive(String token) {
        HttpResponse<String> answer = send(
                backChannel,
                HttpRequest.newBuilder(URI.create(url("/oauth2/introspect")))
                        .header("Authorization", INTROSPECTOR_AUTHORIZATION)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + formEncoded(token)))
                        .build());
        assertThat(answer.statusCode()).isEqualTo(200);
        try {
            return json.readTree(answer.body()).path("active").asBoolean();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * RFC 7009 revocation, as the client the token was issued to (as a person revoking access at the provider would
     * have it done); returns the HTTP status.
     */
    public int revoke(Client client, String token, String tokenTypeHint) {
        return send(
                        backChannel,
                        HttpRequest.newBuilder(URI.create(url("/oauth2/revoke")))
                                .header("Authorization", client.basicAuthorization())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("token=" + formEncoded(token)
                                        + "&token_type_hint=" + formEncoded(tokenTypeHint)))
                                .build())
                .statusCode();
    }

    public static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static RegisteredClient registration(Client client) {
        return RegisteredClient.withId(client.id())
                .clientId(client.id())
                .clientSecret("{noop}" + client.secret())
                .clientAuthenticationMethods(methods -> client.authenticationMethods().stream()
                        .map(ClientAuthenticationMethod::new)
                        .forEach(methods::add))
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(client.redirectUri())
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .reuseRefreshTokens(false)
                        .accessTokenTimeToLive(client.accessTokenTimeToLive())
                        .build())
                .build();
    }

    private static HttpResponse<String> browse(HttpClient browser, URI url) {
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
        return Arrays.stream(url.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(
                        pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    /** Boot's auto-configured authorization server, its clients, one person to log in as, a refresh-grant counter. */
    // not a @Configuration, and only these auto-configurations: a Spring test's component scan or auto-configuration
    // of the test classpath must not pick it up, nor it theirs (JPA, Axon, the application's security)
    @ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        SecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class,
        OAuth2AuthorizationServerAutoConfiguration.class,
        OAuth2AuthorizationServerJwtAutoConfiguration.class
    })
    static class AuthorizationServerApplication {

        /** Tests add theirs at run time; it cannot start empty. */
        @Bean
        InMemoryRegisteredClientRepository clients() {
            return new InMemoryRegisteredClientRepository(INTROSPECTOR);
        }

        @Bean
        UserDetailsService people() {
            return new InMemoryUserDetailsManager(User.withUsername(USERNAME)
                    .password("{noop}" + PASSWORD)
                    .roles("USER")
                    .build());
        }

        /** Ahead of the security filters: the token endpoint answers inside them. */
        @Bean
        FilterRegistrationBean<Filter> refreshGrantCounter() {
            Filter counter = (request, response, chain) -> {
                if ("refresh_token".equals(request.getParameter("grant_type"))) {
                    refreshGrants.incrementAndGet();
                }
                chain.doFilter(request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(counter);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
