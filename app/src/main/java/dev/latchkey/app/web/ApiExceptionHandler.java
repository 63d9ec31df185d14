package dev.latchkey.app.web;

import static dev.latchkey.app.problem.ProblemResponses.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.latchkey.app.connection.ConnectionNotFoundException;
import dev.latchkey.app.problem.ProblemResponses;
import dev.latchkey.app.provider.ProviderNotReadyException;
import dev.latchkey.app.security.MissingClaimException;
import dev.latchkey.domain.RuleViolation;
import dev.latchkey.domain.application.ApplicationNotInstalledException;
import dev.latchkey.domain.application.ManifestRejectedException;
import dev.latchkey.domain.application.UnknownServerVariableException;
import dev.latchkey.domain.connection.ConnectionRevokedException;
import dev.latchkey.domain.connection.InvalidConnectionValueException;
import dev.latchkey.domain.connection.NotPermittedException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of {@code /v1/**} as problem+json with a stable type. Messages are ours, written for the caller;
 * exception messages from libraries never reach a response (they may quote input or provider bodies).
 */
@RestControllerAdvice(
        basePackages = {
            "dev.latchkey.app.web",
            "dev.latchkey.app.audit",
            "dev.latchkey.app.crypto",
            "dev.latchkey.app.replay"
        })
@Order // after the advices that map one controller's own exceptions
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ManifestRejectedException.class)
    ProblemDetail manifest(ManifestRejectedException e) {
        return ProblemResponses.validation(e.errors().stream()
                .map(error -> Map.of("field", error.field(), "message", error.message()))
                .toList());
    }

    @ExceptionHandler(InvalidConnectionValueException.class)
    ProblemDetail invalidValue(InvalidConnectionValueException e) {
        return ProblemResponses.validation(List.of(Map.of("field", e.field(), "message", e.getMessage())));
    }

    @ExceptionHandler(RequestValidationException.class)
    ProblemDetail invalidRequest(RequestValidationException e) {
        return ProblemResponses.validation(e.errors());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            String message = mapping instanceof InvalidFormatException || mapping instanceof ValueInstantiationException
                    ? "has an invalid value"
                    : "has the wrong type";
            return ProblemResponses.validation(List.of(Map.of("field", field, "message", message)));
        }
        return problem(HttpStatus.BAD_REQUEST, "malformed-request", "the body is not valid JSON for this request");
    }

    @ExceptionHandler({
        MissingServletRequestParameterException.class,
        MethodArgumentTypeMismatchException.class,
        MissingRequestHeaderException.class
    })
    ProblemDetail badParameter(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-request", "a parameter is missing or malformed");
    }

    @ExceptionHandler({
        NotPermittedException.class,
        ConnectionRevokedException.class,
        ApplicationNotInstalledException.class,
        AggregateNotFoundException.class,
        NotFoundException.class,
        ConnectionNotFoundException.class,
        NoResourceFoundException.class
    })
    ProblemDetail notFound(Exception e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "no such resource");
    }

    @ExceptionHandler(UnknownServerVariableException.class)
    ProblemDetail unknownVariable(UnknownServerVariableException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-server-variable", e.getMessage());
    }

    @ExceptionHandler(ProviderNotReadyException.class)
    ProblemDetail notReady(ProviderNotReadyException e) {
        return problem(HttpStatus.CONFLICT, "needs-server-admin", e.getMessage());
    }

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblemException e) {
        return ResponseEntity.status(e.problem().getStatus())
                .headers(e.headers())
                .body(e.problem());
    }

    @ExceptionHandler(MissingClaimException.class)
    ProblemDetail missingClaim(MissingClaimException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail accessDenied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "the token lacks the scope for this call");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ProblemDetail method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "method not allowed here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "send application/json");
    }

    @ExceptionHandler(RuleViolation.class)
    ProblemDetail rule(RuleViolation e) {
        return problem(HttpStatus.CONFLICT, e.code(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        // the type only: a library's message may quote a provider body or a secret
        log.error("unexpected {} while handling a request", e.getClass().getName());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side");
    }
}
