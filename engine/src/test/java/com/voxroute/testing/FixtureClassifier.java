package com.voxroute.testing;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test-only classifier: looks the text up in a table (text -> label) built by the test; unknown text abstains
 * with {@code no-signal}; text containing {@value #BOOM} throws, to test the pipeline's failure path.
 * Deterministic and thread-safe (immutable).
 */
public final class FixtureClassifier implements TicketClassifier {

    /** Text marker that makes {@link #classify} throw. */
    public static final String BOOM = "CLASSIFIER-BOOM";

    private final Map<String, String> labelByText;

    /** @param labelByText the table */
    public FixtureClassifier(Map<String, String> labelByText) {
        this.labelByText = Map.copyOf(labelByText);
    }

    @Override
    public Classification classify(String text) {
        if (text != null && text.contains(BOOM)) {
            throw new IllegalStateException("classifier exploded on purpose");
        }
        String label = text == null ? null : labelByText.get(text);
        if (label == null) {
            return new Classification("unknown", 0.0, true, "no-signal", List.of(), List.of(), "und",
                    Classification.Explanation.NONE);
        }
        return new Classification(label, 0.9, false, null, List.of(new Classification.CategoryScore(label, 0.9)),
                List.of(), "en", new Classification.Explanation(List.of("term1", "term2"), List.of()));
    }

    @Override
    public String modelVersion() {
        return "fixture-test@1";
    }

    @Override
    public List<String> categories() {
        return List.copyOf(new TreeSet<>(labelByText.values()));
    }
}
