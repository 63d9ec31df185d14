package dev.latchkey.app.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.problem.ProblemResponses;
import dev.latchkey.domain.ControlCharacters;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every {@code /v1} request passes before anything reads it (before the caller's token, before a body is
 * parsed): a path without encoded slashes or control characters, query parameters and the {@code Idempotency-Key}
 * without control characters (API.md's text rule, {@link ControlCharacters}), a JSON body within its size (a manifest
 * 256 KiB, any other body 16 KiB, counted while reading, so a chunked body is held to it too), and answers in JSON
 * whatever the {@code Accept} header asks for. Text inside JSON bodies is {@link RequestBodyText}'s.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20) // after the character encoding filter, before Spring Security
class RequestEdge extends OncePerRequestFilter {

    static final int MANIFEST_LIMIT = 256 * 1024;
    static final int BODY_LIMIT = 16 * 1024;

    /** {@code PUT /v1/applications/{applicationId}}: the one request whose body is a manifest. */
    private static final Pattern MANIFEST_PATH = Pattern.compile("^/v1/applications/[^/]+/?$");

    private static final String JSON_ONLY =
            MediaType.APPLICATION_JSON_VALUE + ", " + MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final ObjectMapper json;

    RequestEdge(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !(uri.equals("/v1") || uri.startsWith("/v1/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!cleanPath(request.getRequestURI())) {
            answer(
                    response,
                    ProblemResponses.problem(
                            HttpStatus.BAD_REQUEST,
                            "malformed-request",
                            "the path holds an encoded slash, backslash or control character"));
            return;
        }
        List<Map<String, String>> errors;
        try {
            errors = queryErrors(request.getQueryString());
        } catch (IllegalArgumentException e) {
            answer(
                    response,
                    ProblemResponses.problem(HttpStatus.BAD_REQUEST, "malformed-request", "the query is malformed"));
            return;
        }
        String key = request.getHeader("Idempotency-Key");
        if (key != null && ControlCharacters.in(key)) {
            errors.add(Map.of("field", "Idempotency-Key", "message", ControlCharacters.REFUSED));
        }
        if (!errors.isEmpty()) {
            answer(response, ProblemResponses.validation(errors));
            return;
        }
        byte[] body = null;
        if (hasBody(request)) {
            int limit = "PUT".equals(request.getMethod())
                            && MANIFEST_PATH.matcher(request.getRequestURI()).matches()
                    ? MANIFEST_LIMIT
                    : BODY_LIMIT;
            body = request.getContentLengthLong() > limit ? null : readAtMost(request.getInputStream(), limit);
            if (body == null) {
                answer(
                        response,
                        ProblemResponses.problem(
                                HttpStatus.PAYLOAD_TOO_LARGE,
                                "payload-too-large",
                                "the body is larger than " + limit / 1024 + " KiB"));
                return;
            }
            if (body.length > 0 && !isJson(request.getContentType())) {
                answer(
                        response,
                        ProblemResponses.problem(
                                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "send application/json"));
                return;
            }
        }
        chain.doFilter(new JsonOnlyRequest(request, body), response);
    }

    /** The raw (still encoded) path: no encoded slash or backslash, no control character, encoded or not. */
    static boolean cleanPath(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x1f || c == 0x7f || c == '\\') {
                return false;
            }
            if (c == '%') {
                if (i + 2 >= rawPath.length()) {
                    return false;
                }
                int decoded;
                try {
                    decoded = Integer.parseInt(rawPath.substring(i + 1, i + 3), 16);
                } catch (NumberFormatException e) {
                    return false;
                }
                if (decoded <= 0x1f || decoded == 0x7f || decoded == '/' || decoded == '\\') {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** @throws IllegalArgumentException when a parameter is not valid percent-encoded UTF-8 */
    static List<Map<String, String>> queryErrors(String query) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return errors;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (ControlCharacters.in(name)) {
                errors.add(Map.of("field", "query", "message", "parameter names " + ControlCharacters.REFUSED));
            } else if (ControlCharacters.in(value)) {
                errors.add(Map.of("field", name, "message", ControlCharacters.REFUSED));
            }
        }
        return errors;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** The body, or null when it is longer than {@code limit}: never more than {@code limit + 1} bytes are read. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - out.size()))) > 0) {
            out.write(buffer, 0, read);
            if (out.size() > limit) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || "json".equals(type.getSubtypeSuffix()) && "application".equals(type.getType());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void answer(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** The request as read here: its body from memory, and {@code Accept} as JSON (a /v1 answer is JSON anyway). */
    private static final class JsonOnlyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        JsonOnlyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? JSON_ONLY : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.ACCEPT.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(JSON_ONLY))
                    : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (body == null) {
                return super.getReader();
            }
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), encoding));
        }

        @Override
        public int getContentLength() {
            return body == null ? super.getContentLength() : body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body == null ? super.getContentLengthLong() : body.length;
        }
    }
}
