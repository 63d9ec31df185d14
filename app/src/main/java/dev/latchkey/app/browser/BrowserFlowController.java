package dev.latchkey.app.browser;

import dev.latchkey.app.authorization.AuthorizationTickets;
import dev.latchkey.app.config.LatchkeyProperties;
import dev.latchkey.app.flow.CallbackOutcome;
import dev.latchkey.app.flow.OAuthCallback;
import dev.latchkey.domain.ControlCharacters;
import dev.latchkey.domain.connection.ConnectionId;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The two endpoints a person's browser passes through. {@code authorize} redeems a ticket, sets the cookie that
 * binds the flow to this browser and sends it to the provider; {@code callback} takes the provider's answer.
 * Errors are small HTML pages, never JSON or a stack trace.
 */
@RestController
class BrowserFlowController {

    static final String COOKIE_PREFIX = "latchkey_binding_";
    static final String COOKIE_PATH = "/apps/oauth";

    /** The longest parameter taken from a browser; real tickets, states and codes are far shorter. */
    static final int MAX_PARAMETER = 4096;

    private final AuthorizationTickets tickets;
    private final OAuthCallback callbacks;
    private final boolean secureCookies;

    BrowserFlowController(AuthorizationTickets tickets, OAuthCallback callbacks, LatchkeyProperties properties) {
        this.tickets = tickets;
        this.callbacks = callbacks;
        this.secureCookies = "https".equalsIgnoreCase(properties.publicUrl().getScheme());
    }

    @GetMapping("/apps/oauth/authorize")
    ResponseEntity<String> authorize(@RequestParam(required = false) String ticket) {
        Optional<AuthorizationTickets.Redeemed> redeemed = refused(ticket) ? Optional.empty() : tickets.redeem(ticket);
        if (redeemed.isEmpty()) {
            return page(
                    HttpStatus.BAD_REQUEST,
                    "This link does not work",
                    "The sign-in link is unknown, expired or was already used. Start again from the app.");
        }
        AuthorizationTickets.Redeemed flow = redeemed.get();
        ResponseCookie cookie = ResponseCookie.from(
                        COOKIE_PREFIX + flow.connectionId().value(),
                        flow.binding().reveal())
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite("Lax")
                .path(COOKIE_PATH)
                .maxAge(Duration.ofMinutes(10))
                .build();
        return ResponseEntity.status(HttpStatus.FOUND)
                .headers(noStore())
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .location(flow.providerUrl())
                .build();
    }

    @GetMapping("/apps/oauth/callback")
    ResponseEntity<String> callback(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @RequestParam(required = false) String iss,
            HttpServletRequest request) {
        // what the provider sends is checked before anything is looked up or stored (API.md's text rule)
        Optional<ConnectionId> connection = refused(code) || refused(state) || refused(error) || refused(iss)
                ? Optional.empty()
                : callbacks.connectionOf(state);
        if (connection.isEmpty()) {
            return page(
                    HttpStatus.BAD_REQUEST,
                    "This sign-in cannot be completed",
                    "The sign-in is unknown, expired or was already completed. Start again from the app.");
        }
        ConnectionId id = connection.get();
        String cookieName = COOKIE_PREFIX + id.value();
        String binding = Optional.ofNullable(request.getCookies()).stream()
                .flatMap(Arrays::stream)
                .filter(c -> c.getName().equals(cookieName))
                .map(Cookie::getValue)
                .findFirst()
                .orElse(null);
        CallbackOutcome outcome = callbacks.complete(id, new OAuthCallback.Callback(code, state, error, iss), binding);
        if (outcome.badRequest()) {
            return page(
                    HttpStatus.BAD_REQUEST,
                    "This sign-in cannot be completed",
                    "The sign-in is unknown, expired, already completed or was started in another browser ("
                            + outcome.error() + "). Start again from the app.");
        }
        ResponseCookie expired = ResponseCookie.from(cookieName, "")
                .httpOnly(true)
                .secure(secureCookies)
                .sameSite("Lax")
                .path(COOKIE_PATH)
                .maxAge(0)
                .build();
        if (outcome.returnUrl() != null) {
            UriComponentsBuilder target = UriComponentsBuilder.fromUriString(outcome.returnUrl())
                    .queryParam("connectionId", id.value())
                    .queryParam("status", outcome.succeeded() ? "success" : "error");
            if (!outcome.succeeded()) {
                target.queryParam("error", outcome.error());
            }
            URI location = target.encode().build().toUri();
            return ResponseEntity.status(HttpStatus.SEE_OTHER)
                    .headers(noStore())
                    .header(HttpHeaders.SET_COOKIE, expired.toString())
                    .location(location)
                    .build();
        }
        ResponseEntity<String> answer = outcome.succeeded()
                ? page(HttpStatus.OK, "Connected", "The account is connected.")
                : page(
                        HttpStatus.BAD_REQUEST,
                        "Not connected",
                        "The account was not connected (" + outcome.error() + "). Start again from the app.");
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header(HttpHeaders.SET_COOKIE, expired.toString())
                .body(answer.getBody());
    }

    private static boolean refused(String parameter) {
        return parameter != null && (parameter.length() > MAX_PARAMETER || ControlCharacters.in(parameter));
    }

    private static HttpHeaders noStore() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl(CacheControl.noStore());
        headers.set("Referrer-Policy", "no-referrer");
        return headers;
    }

    private static ResponseEntity<String> page(HttpStatus status, String title, String message) {
        return ResponseEntity.status(status)
                .headers(noStore())
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(ResultPage.render(title, message));
    }
}
