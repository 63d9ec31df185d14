package dev.latchkey.app.browser;

import dev.latchkey.app.persistence.DatabaseOutages;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A database outage in the browser flow is a 503 page with {@code Retry-After}, not the 500 page. Spring matches the
 * exception and then its causes; a database failure that is not an outage gets the 500 page as before.
 */
@RestControllerAdvice(basePackages = "dev.latchkey.app.browser")
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailablePage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailablePage.class);

    @ExceptionHandler({DataAccessException.class, TransactionException.class, SQLException.class})
    ResponseEntity<String> database(Exception e) {
        boolean outage = DatabaseOutages.isOutage(e);
        log.warn(
                "{} in the browser flow: {}",
                outage ? "database unavailable" : "database failure",
                e.getClass().getName());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(
                        outage ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR)
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        if (!outage) {
            return answer.body(ResultPage.render(
                    "Something went wrong", "Latchkey could not complete this step. Start again from the app."));
        }
        return answer.header("Retry-After", String.valueOf(DatabaseOutages.RETRY_AFTER.toSeconds()))
                .body(ResultPage.render(
                        "Latchkey is briefly unavailable",
                        "Its database cannot be reached just now. Wait a few seconds and reload this page."));
    }
}
