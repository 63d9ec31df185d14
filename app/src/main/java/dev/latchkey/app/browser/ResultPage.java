package dev.latchkey.app.browser;

import org.springframework.web.util.HtmlUtils;

/** The small HTML page a browser sees when there is no return URL to go back to, or the request was bad. */
final class ResultPage {

    private ResultPage() {}

    static String render(String title, String message) {
        String t = HtmlUtils.htmlEscape(title);
        String m = HtmlUtils.htmlEscape(message);
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="robots" content="noindex"><title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
                </head>
                <body><h1>%s</h1><p>%s</p><p>You can close this window.</p></body>
                </html>
                """.formatted(t, t, m);
    }
}
