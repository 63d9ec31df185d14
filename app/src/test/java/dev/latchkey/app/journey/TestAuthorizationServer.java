package dev.latchkey.app.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OAuth 2 authorization server for the journey tests: Spring Authorization Server on a random loopback port,
 * one per test JVM, with PKCE required, exact redirect URI, single-use codes, refresh-token rotation, RFC 7009
 * revocation and RFC 7662 introspection. Access tokens live 65 s, so with Latchkey's 60 s refresh-ahead a token
 * becomes due for refresh 5 s after it was issued. It counts the refresh grants it is asked for.
 */
public final class TestAuthorizationServer {

    public static final String CLIENT_ID = "latchkey-journey";
    /** Breaks unless form-encoded before Basic (RFC 6749 §2.3.1). */
    public static final String CLIENT_SECRET = "s3cret+with%25/and=";

    public static final String USERNAME = "alice";
    public static final String PASSWORD = "wonderland-password-7";
    public static final long ACCESS_TOKEN_SECONDS = 65;

    private static TestAuthorizationServer shared;

    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final HttpClient backChannel = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    static final AtomicInteger refreshGrants = new AtomicInteger();

    private TestAuthorizationServer(String redirectUri) {
        String client = "spring.security.oauth2.authorizationserver.client.latchkey.";
        // a second Boot application in this JVM must not reconfigure the logging of the first
        String loggingSystem = "org.springframework.boot.logging.LoggingSystem";
        System.setProperty(loggingSystem, "none");
        context = new SpringApplicationBuilder(AuthorizationServerApplication.class)
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "spring.jmx.enabled=false",
                        client + "registration.client-id=" + CLIENT_ID,
                        client + "registration.client-secret={noop}" + CLIENT_SECRET,
                        client + "registration.client-authentication-methods=client_secret_basic,client_secret_post",
                        client + "registration.authorization-grant-types=authorization_code,refresh_token",
                        client + "registration.redirect-uris=" + redirectUri,
                        client + "registration.scopes=read,write",
                        client + "require-proof-key=true",
                        client + "require-authorization-consent=false",
                        client + "token.reuse-refresh-tokens=false",
                        client + "token.access-token-time-to-live=" + ACCESS_TOKEN_SECONDS + "s")
                .run();
        System.clearProperty(loggingSystem);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        baseUrl = "http://127.0.0.1:" + port;
    }

    /** The server of this JVM, registered for Latchkey's callback at {@code redirectUri}. */
    public static synchronized TestAuthorizationServer shared(String redirectUri) {
        if (shared == null) {
            shared = new TestAuthorizationServer(redirectUri);
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public int refreshGrants() {
        return refreshGrants.get();
    }

    /** RFC 7662 introspection, authenticated as the client: does the provider still accept this token? */
    public boolean isActive(String token) {
        String credentials = encode(CLIENT_ID) + ":" + encode(CLIENT_SECRET);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/oauth2/introspect")))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(token)))
                .build();
        try {
            HttpResponse<String> answer = backChannel.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(answer.body());
            return body.path("active").asBoolean();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Boot's auto-configured authorization server, one person to log in as, and a refresh-grant counter. */
    // not a @Configuration: Latchkey's own component scan of the test classpath must not pick it up
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
