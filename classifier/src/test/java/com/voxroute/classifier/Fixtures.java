package com.voxroute.classifier;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the small fixtures under {@code src/test/resources/fixtures}. */
final class Fixtures {

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture " + name, e);
        }
    }

    static Path bilingualTrain() {
        return resource("bilingual-train.jsonl");
    }

    static Path bilingualDev() {
        return resource("bilingual-dev.jsonl");
    }
}
