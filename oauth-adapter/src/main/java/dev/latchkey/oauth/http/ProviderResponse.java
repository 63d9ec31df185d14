package dev.latchkey.oauth.http;

import com.github.scribejava.core.model.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provider's answer, read with the body capped. Its {@code toString()} names the status and size only: the body
 * may hold tokens.
 */
public final class ProviderResponse {

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    ProviderResponse(int status, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Reads and closes a ScribeJava response, refusing a body longer than {@code maxBodyBytes} as soon as it is known
     * to be (from {@code Content-Length}, or after {@code maxBodyBytes + 1} bytes): the rest is never read.
     */
    public static ProviderResponse read(Response response, int maxBodyBytes) throws IOException {
        try (response) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    headers.put(name, value);
                }
            });
            String declared = headers.get("Content-Length");
            if (declared != null && declaredLength(declared) > maxBodyBytes) {
                throw new BodyTooLargeException();
            }
            InputStream stream = response.getStream();
            if (stream == null) {
                return new ProviderResponse(response.getCode(), headers, new byte[0]);
            }
            try (stream) {
                return new ProviderResponse(response.getCode(), headers, readCapped(stream, maxBodyBytes));
            }
        }
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] readCapped(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buffer, 0, Math.min(buffer.length, max + 1 - total))) > 0) {
            total += n;
            if (total > max) {
                throw new BodyTooLargeException();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    public int status() {
        return status;
    }

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /** A header by name, any case; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "ProviderResponse[status=" + status + ", " + body.length + " bytes]";
    }

    /** A response body longer than the adapter reads. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("body-too-large");
        }
    }
}
