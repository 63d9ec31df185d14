package dev.latchkey.app.web;

import static dev.latchkey.app.problem.ProblemResponses.problem;

import dev.latchkey.app.replay.ProjectionReplays;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The projection admin endpoints' own errors; everything else is {@code ApiExceptionHandler}'s. */
@RestControllerAdvice(basePackageClasses = ProjectionAdminController.class)
@Order(Ordered.HIGHEST_PRECEDENCE) // before ApiExceptionHandler, which answers everything else
class ProjectionAdminExceptionHandler {

    @ExceptionHandler({NotFoundException.class, ProjectionReplays.NotReplayableException.class})
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "no such projection");
    }

    @ExceptionHandler(ProjectionReplays.ReplayRefusedException.class)
    ProblemDetail refused(ProjectionReplays.ReplayRefusedException e) {
        return problem(HttpStatus.CONFLICT, "replay-refused", e.getMessage());
    }
}
