package dev.workcell.controlplane.dimension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What one slice asks for: a device matching {@code device}, the one its task runs on, and for a gang
 * one more device per companion, each distinct and matching its own dimensions, all on one host.
 */
public record DeviceSet(DimensionMatcher device, List<DimensionMatcher> companions) {

    public static final int MAX_COMPANIONS = 7;

    public static DeviceSet single(DimensionMatcher device) {
        return new DeviceSet(device, List.of());
    }

    public boolean isGang() {
        return !companions.isEmpty();
    }

    /** The canonical specs, device first: equal keys are the same stored set. */
    List<Map<String, String>> key() {
        return Stream.concat(Stream.of(device), companions.stream())
                .map(matcher -> (Map<String, String>) matcher.spec())
                .toList();
    }

    /**
     * Which of these devices take which place, if they can fill the whole set: the device's at index 0,
     * then one per companion, all distinct. {@code dimensions} gives each candidate's dimensions.
     */
    public <D> Optional<List<D>> assign(
            List<D> candidates, Function<D, Map<String, ? extends Collection<String>>> dimensions) {
        List<DimensionMatcher> places = new ArrayList<>();
        places.add(device);
        places.addAll(companions);
        boolean[][] fits = new boolean[places.size()][candidates.size()];
        for (int place = 0; place < places.size(); place++) {
            for (int candidate = 0; candidate < candidates.size(); candidate++) {
                fits[place][candidate] = places.get(place).matches(dimensions.apply(candidates.get(candidate)));
            }
        }
        int[] placeOf = new int[candidates.size()];
        Arrays.fill(placeOf, -1);
        for (int place = 0; place < places.size(); place++) {
            if (!seat(place, fits, placeOf, new boolean[candidates.size()])) {
                return Optional.empty();
            }
        }
        Object[] chosen = new Object[places.size()];
        for (int candidate = 0; candidate < candidates.size(); candidate++) {
            if (placeOf[candidate] >= 0) {
                chosen[placeOf[candidate]] = candidates.get(candidate);
            }
        }
        @SuppressWarnings("unchecked")
        List<D> assigned = (List<D>) List.of(chosen);
        return Optional.of(assigned);
    }

    /**
     * Gives a place a candidate, moving the places seated before along an augmenting path if need be
     * (Kuhn's bipartite matching): a first-fit choice could take the one device a later companion needs.
     */
    private static boolean seat(int place, boolean[][] fits, int[] placeOf, boolean[] tried) {
        for (int candidate = 0; candidate < placeOf.length; candidate++) {
            if (fits[place][candidate] && !tried[candidate]) {
                tried[candidate] = true;
                if (placeOf[candidate] < 0 || seat(placeOf[candidate], fits, placeOf, tried)) {
                    placeOf[candidate] = place;
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return companions.isEmpty() ? device.toString() : device + " with companions " + companions;
    }
}
