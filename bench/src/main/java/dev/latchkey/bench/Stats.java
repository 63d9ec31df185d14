package dev.latchkey.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

final class Stats {

    private Stats() {}

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** (max - min) / median: above {@link #TOO_SPREAD} a row measures again, longer. */
    static double spread(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double median = median(values);
        return median == 0 ? 0 : (max - min) / Math.abs(median);
    }

    static final double TOO_SPREAD = 0.20;

    /** Whether any of these series spreads more than 20% between its repetitions. */
    @SafeVarargs
    static boolean tooSpread(List<Double>... series) {
        for (List<Double> values : series) {
            if (spread(values) > TOO_SPREAD) {
                return true;
            }
        }
        return false;
    }

    static String list(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }

    static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
