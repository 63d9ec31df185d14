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

    static String list(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }

    static String f(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
