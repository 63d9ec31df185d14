package dev.latchkey.app.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/** RFC 9457 problems with API.md's stable type URIs. */
@Component
public class ProblemResponses {

    public static final String TYPE_BASE = "https://latchkey.dev/problems/";

    private final ObjectMapper json;

    public ProblemResponses(ObjectMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    public static ProblemDetail validation(List<Map<String, String>> errors) {
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "validation", "the request has " + errors.size() + " error(s)");
        problem.setProperty("errors", errors);
        return problem;
    }

    /** For filters, which answer before any controller advice can. */
    public void write(HttpServletResponse response, HttpStatus status, String type, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem(status, type, detail));
    }
}
