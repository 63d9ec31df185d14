package dev.latchkey.app.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

/** An answer decided in a controller: the problem, already written for the caller. */
public class ApiProblemException extends RuntimeException {

    private final ProblemDetail problem;
    private final HttpHeaders headers;

    public ApiProblemException(ProblemDetail problem) {
        this(problem, new HttpHeaders());
    }

    public ApiProblemException(ProblemDetail problem, HttpHeaders headers) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public ProblemDetail problem() {
        return problem;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
