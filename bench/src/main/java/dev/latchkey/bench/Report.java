package dev.latchkey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The one table the run prints, the machine it ran on, and every repetition's figures behind each median. */
final class Report {

    record Line(
            String number,
            String what,
            String latchkey,
            String baseline,
            String ratio,
            String target,
            String met,
            String cost) {}

    private final List<String> machine = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    void machine(String fact) {
        machine.add(fact);
    }

    void line(String number, String what, String latchkey, String baseline, String ratio, String target, String met) {
        line(number, what, latchkey, baseline, ratio, target, met, "—");
    }

    /** {@code cost}: CPU and SQL statements per operation, Latchkey's and the baseline's (see {@link Cost}). */
    void line(
            String number,
            String what,
            String latchkey,
            String baseline,
            String ratio,
            String target,
            String met,
            String cost) {
        lines.add(new Line(number, what, latchkey, baseline, ratio, target, met, cost));
    }

    void notMeasured(String number, String what, String target, String why) {
        lines.add(new Line(number, what, "not measured", "—", "—", target, "? (" + why + ")", "—"));
    }

    void detail(String text) {
        details.add(text);
        System.err.println("  " + text);
    }

    static String met(boolean met) {
        return met ? "yes" : "no";
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(String.join("; ", machine)).append("\n\n");
        out.append("| # | benchmark | Latchkey | baseline, same run | ratio | target | met | cost per operation |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Line line : lines) {
            out.append("| ")
                    .append(String.join(
                            " | ",
                            line.number(),
                            line.what(),
                            line.latchkey(),
                            line.baseline(),
                            line.ratio(),
                            line.target(),
                            line.met(),
                            line.cost()))
                    .append(" |\n");
        }
        out.append("\nEvery figure is the median of the repetitions listed below, measured after a warm-up. Cost per"
                + " operation: CPU of the server's JVM + CPU of PostgreSQL's processes, and the SQL statements the"
                + " server sent (JDBC execute calls, counted by the bench's DataSource wrapper), over the same"
                + " windows.\n\n");
        for (String detail : details) {
            out.append("- ").append(detail).append('\n');
        }
        return out.toString();
    }

    void write(Path file) throws IOException {
        Files.writeString(file, markdown());
    }
}
