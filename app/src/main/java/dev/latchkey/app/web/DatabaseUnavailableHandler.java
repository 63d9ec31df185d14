package dev.latchkey.app.web;

import static dev.latchkey.app.problem.ProblemResponses.problem;

import dev.latchkey.app.persistence.DatabaseOutages;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A database outage on {@code /v1} is 503 {@code database-unavailable} with {@code Retry-After}, not 500. Spring
 * matches these handlers against the exception and then its causes, so a failure wrapped by Axon, Spring's JDBC
 * support or a service still lands here; a database failure that is not an outage stays a 500, as
 * {@link ApiExceptionHandler} answers it.
 */
@RestControllerAdvice(
        basePackages = {
            "dev.latchkey.app.web",
            "dev.latchkey.app.audit",
            "dev.latchkey.app.crypto",
            "dev.latchkey.app.replay"
        })
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableHandler {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @ExceptionHandler({DataAccessException.class, TransactionException.class, SQLException.class})
    ResponseEntity<Object> database(Exception e) {
        if (!DatabaseOutages.isOutage(e)) {
            log.error("unexpected {} while handling a request", e.getClass().getName());
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side"));
        }
        log.warn(
                "database unavailable while handling a request: {}",
                e.getClass().getName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", String.valueOf(DatabaseOutages.RETRY_AFTER.toSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "database-unavailable",
                        "the database is unavailable; try again shortly"));
    }
}
