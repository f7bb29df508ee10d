package com.voxroute.benchmarks;

import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;

import java.util.List;

/**
 * A classifier that costs nothing: every ticket gets the same category with confidence 1 and no flags. With it, a
 * test server does everything but classification (HTTP, JSON, journal, routing, publish, the wait), so
 * {@code HttpLoadIT} needs no trained model.
 *
 * <p>Threading: stateless, any thread.
 */
public final class ConstantClassifier implements TicketClassifier {

    private final Classification answer;
    private final List<String> categories;

    /**
     * @param category the category every ticket gets (use one the rules route, e.g. {@code card_arrival})
     */
    public ConstantClassifier(String category) {
        this.answer = new Classification(category, 1.0, false, null,
                List.of(new Classification.CategoryScore(category, 1.0)), List.of(), "en",
                Classification.Explanation.NONE);
        this.categories = List.of(category);
    }

    /** @return the same classification for any text, never {@code null} */
    @Override
    public Classification classify(String text) {
        return answer;
    }

    @Override
    public String modelVersion() {
        return "constant-" + answer.category();
    }

    @Override
    public List<String> categories() {
        return categories;
    }
}
