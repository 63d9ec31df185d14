package dev.latchkey.app.security;

import dev.latchkey.app.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token that cannot be checked, because the issuer's JWK set cannot be fetched, is neither the caller's fault (401)
 * nor an error of ours to hide behind a bare 500: 503 {@code issuer-unavailable} as problem+json, with
 * {@code Retry-After}. The resource server rethrows such failures as {@link AuthenticationServiceException}.
 */
final class IssuerUnavailableFilter extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "5";

    private final ProblemResponses problems;

    IssuerUnavailableFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (AuthenticationServiceException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            problems.write(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "issuer-unavailable",
                    "the caller token cannot be checked now: the issuer's keys cannot be fetched");
        }
    }
}
