package dev.latchkey.app.audit;

import static dev.latchkey.app.web.ProblemResponses.problem;

import dev.latchkey.app.security.MissingClaimException;
import dev.latchkey.app.web.NotFoundException;
import dev.latchkey.app.web.ProblemResponses;
import dev.latchkey.app.web.RequestValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** The audit endpoints' errors as problem+json, with the types the rest of the API uses. */
@RestControllerAdvice(basePackageClasses = AuditController.class)
class AuditExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AuditExceptionHandler.class);

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "no such resource");
    }

    @ExceptionHandler(RequestValidationException.class)
    ProblemDetail invalid(RequestValidationException e) {
        return ProblemResponses.validation(e.errors());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-request", "a parameter is missing or malformed");
    }

    @ExceptionHandler(MissingClaimException.class)
    ProblemDetail missingClaim(MissingClaimException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail accessDenied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "the token lacks the scope for this call");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unexpected {} while reading the audit log", e.getClass().getName());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side");
    }
}
