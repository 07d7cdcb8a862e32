package dev.workcell.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** How repetitions of a figure agree: "median (min–max, ±spread %)". */
final class Spread {

    private Spread() {}

    static <T> String of(List<T> repetitions, ToDoubleFunction<T> figure, String format) {
        double[] values = repetitions.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return "none";
        }
        int middle = values.length / 2;
        double median = values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        double min = values[0];
        double max = values[values.length - 1];
        double spread = median == 0 ? 0 : 100 * (max - min) / 2 / median;
        return String.format(format + " (" + format + "–" + format + ", ±%.0f %%)", median, min, max, spread);
    }
}
