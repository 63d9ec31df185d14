package dev.latchkey.app.replay;

import static dev.latchkey.app.web.ProblemResponses.problem;

import dev.latchkey.app.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The projection admin endpoints' errors as problem+json, with the types the rest of the API uses. */
@RestControllerAdvice(basePackageClasses = ProjectionAdminController.class)
class ProjectionAdminExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdminExceptionHandler.class);

    @ExceptionHandler({NotFoundException.class, ProjectionReplays.NotReplayableException.class})
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "no such projection");
    }

    @ExceptionHandler(ProjectionReplays.ReplayRefusedException.class)
    ProblemDetail refused(ProjectionReplays.ReplayRefusedException e) {
        return problem(HttpStatus.CONFLICT, "replay-refused", e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail accessDenied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "the token lacks the scope for this call");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error(
                "unexpected {} while handling a projection request",
                e.getClass().getName());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "something went wrong on our side");
    }
}
