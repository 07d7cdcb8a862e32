package dev.workcell.controlplane.dimension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.controlplane.errors.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimensionMatcherTest {

    static final Map<String, List<String>> PIXEL = Map.of(
            "os", List.of("android"),
            "sdk", List.of("34"),
            "abi", List.of("arm64-v8a", "armeabi-v7a"),
            "gpu", List.of("Adreno 740"),
            "model", List.of("Pixel 8"));

    static boolean matches(String key, String value) {
        return DimensionMatcher.parse(Map.of(key, value), "dimensions").matches(PIXEL);
    }

    @Test
    void anExactValueMatchesThatValueOnly() {
        assertThat(matches("os", "android")).isTrue();
        assertThat(matches("os", "linux")).isFalse();
        assertThat(matches("os", "andro")).isFalse();
    }

    @Test
    void valuesAndKeysCompareCaseInsensitively() {
        assertThat(matches("OS", "Android")).isTrue();
        assertThat(matches("model", "pixel 8")).isTrue();
    }

    @Test
    void anyOfADevicesValuesMaySatisfyAKey() {
        assertThat(matches("abi", "armeabi-v7a")).isTrue();
        assertThat(matches("abi", "x86_64")).isFalse();
    }

    @Test
    void aSetMatchesAnyOfItsAlternatives() {
        assertThat(matches("abi", "x86_64|arm64-v8a")).isTrue();
        assertThat(matches("abi", "x86_64|x86")).isFalse();
        assertThat(matches("gpu", "mali*|adreno*")).isTrue();
    }

    @Test
    void numericComparisonsCompareNumbers() {
        assertThat(matches("sdk", ">=34")).isTrue();
        assertThat(matches("sdk", ">=35")).isFalse();
        assertThat(matches("sdk", ">33")).isTrue();
        assertThat(matches("sdk", ">34")).isFalse();
        assertThat(matches("sdk", "<=34")).isTrue();
        assertThat(matches("sdk", "<=33")).isFalse();
        assertThat(matches("sdk", "<35")).isTrue();
        assertThat(matches("sdk", "<34")).isFalse();
        assertThat(matches("sdk", ">= 33.5")).isTrue();
    }

    @Test
    void aComparisonNeverMatchesAValueThatIsNotANumber() {
        assertThat(matches("os", ">=1")).isFalse();
    }

    @Test
    void aPrefixMatchesValuesStartingWithIt() {
        assertThat(matches("gpu", "adreno*")).isTrue();
        assertThat(matches("gpu", "adreno 7*")).isTrue();
        assertThat(matches("gpu", "mali*")).isFalse();
    }

    @Test
    void everyKeyMustBeMetAndAMissingKeyIsNot() {
        assertThat(DimensionMatcher.parse(Map.of("os", "android", "sdk", ">=33"), "dimensions")
                        .matches(PIXEL))
                .isTrue();
        assertThat(DimensionMatcher.parse(Map.of("os", "android", "sdk", ">=35"), "dimensions")
                        .matches(PIXEL))
                .isFalse();
        assertThat(matches("host", "lab-1")).isFalse();
    }

    @Test
    void theSpecIsCanonicalSoThatEqualAsksAreOneSet() {
        var first = DimensionMatcher.parse(Map.of("OS", " Android ", "sdk", ">=33"), "dimensions");
        var second = DimensionMatcher.parse(Map.of("sdk", ">=33", "os", "android"), "dimensions");
        assertThat(first.spec())
                .isEqualTo(second.spec())
                .containsExactly(Map.entry("os", "android"), Map.entry("sdk", ">=33"));
    }

    @Test
    void unmetByNamesTheKeyNoKnownValueSatisfies() {
        var matcher = DimensionMatcher.parse(Map.of("os", "android", "gpu", "mali*"), "dimensions");
        assertThat(matcher.unmetBy(PIXEL)).contains("gpu");
        assertThat(DimensionMatcher.parse(Map.of("os", "android"), "dimensions").unmetBy(PIXEL))
                .isEmpty();
        assertThat(DimensionMatcher.parse(Map.of("rack", "7"), "dimensions").unmetBy(PIXEL))
                .contains("rack");
    }

    @Test
    void badGrammarNamesTheField() {
        assertRefused(Map.of("sdk", ">=abc"), "slices[1].dimensions.sdk", ">= needs a number");
        assertRefused(Map.of("gpu", "adr*no"), "slices[1].dimensions.gpu", "* may only end a prefix");
        assertRefused(Map.of("gpu", "*"), "slices[1].dimensions.gpu", "matches anything");
        assertRefused(Map.of("abi", "x86||arm64-v8a"), "slices[1].dimensions.abi", "empty alternative");
        assertRefused(Map.of("sdk", "33|>=34"), "slices[1].dimensions.sdk", "cannot be one alternative");
        assertRefused(Map.of("os", " "), "slices[1].dimensions.os", "empty");
        assertRefused(Map.of("bad key!", "x"), "slices[1].dimensions.bad key!", "a dimension key is");
        assertRefused(Map.of(), "slices[1].dimensions", "at least one dimension");
    }

    static void assertRefused(Map<String, String> dimensions, String field, String problem) {
        assertThatThrownBy(() -> DimensionMatcher.parse(dimensions, "slices[1].dimensions"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        refused -> assertThat(refused.field()).isEqualTo(field))
                .hasMessageContaining(problem);
    }
}
