package dev.latchkey.app.browser;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Whatever goes wrong in the browser flow, the browser gets a small HTML page, never JSON or a stack trace. */
@RestControllerAdvice(assignableTypes = BrowserFlowController.class)
class BrowserErrors {

    private static final Logger log = LoggerFactory.getLogger(BrowserErrors.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e) {
        // the type only: a library's message may quote a provider body or a secret
        log.error("unexpected {} in the browser flow", e.getClass().getName());
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer")
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(ResultPage.render(
                        "Something went wrong", "Latchkey could not complete this step. Start again from the app."));
    }
}
