package dev.latchkey.app.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * What Tomcat answers by itself, before any filter runs (a path with {@code %00} or {@code %2F}, a header with a
 * control character), is problem+json too on {@code /v1}, never Tomcat's HTML page; elsewhere Tomcat's page stays.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String uri = request.getCoyoteRequest().requestURI().toString();
        int status = response.getStatus();
        if (!(uri.equals("/v1") || uri.startsWith("/v1/")) || status < 400 || response.isCommitted()) {
            super.report(request, response, throwable);
            return;
        }
        String type = status == 400 ? "malformed-request" : status == 404 ? "not-found" : "internal";
        String detail = status == 400 ? "the request is malformed" : "the request could not be answered";
        try {
            response.resetBuffer();
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                String title = status == 400 ? "Bad Request" : status == 404 ? "Not Found" : "Error";
                writer.write("{\"type\":\"https://latchkey.dev/problems/" + type + "\",\"title\":\"" + title + "\""
                        + ",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer already started: nothing more to say
        }
    }
}
