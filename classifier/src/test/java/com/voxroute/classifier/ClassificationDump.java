package com.voxroute.classifier;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Experiment tool (not a test): writes everything {@link ClassifierModel#classify} and
 * {@link ClassifierModel#probabilities} return for every ticket of some data files, one line per ticket, floats
 * and doubles as their raw bits in hex. Run it with an old build's classes and with the new ones on the same model
 * directory and compare the two files with {@code cmp}: an exact speed-up must leave them byte-identical (the
 * check behind "results identical" in BENCHMARKS.md). It uses public API only, so it also runs against older jars.
 *
 * <p>Usage: {@code ClassificationDump MODEL_DIR OUT_FILE DATA.jsonl...}. Line format, tab-separated: ticket id,
 * category, confidence bits, abstained, abstain reason, top categories ({@code name=bits} joined by commas),
 * flags, language, top terms, nearest ticket ids, then the probability bits of every category.
 */
final class ClassificationDump {

    private ClassificationDump() {
    }

    /**
     * @param args model directory, output file, one or more JSONL data files
     * @throws IOException when the model or a data file cannot be read, or the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ClassificationDump MODEL_DIR OUT_FILE DATA.jsonl...");
            System.exit(2);
        }
        ClassifierModel model = ClassifierModel.load(Path.of(args[0]));
        int lines = 0;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            for (int f = 2; f < args.length; f++) {
                for (LabeledTicket t : TicketDataset.read(Path.of(args[f])).tickets()) {
                    out.write(line(t.id(), model.classify(t.text()), model.probabilities(t.text())));
                    out.write('\n');
                    lines++;
                }
            }
        }
        System.out.println(lines + " tickets written to " + args[1]);
    }

    /**
     * One ticket's line.
     *
     * @param id            the ticket id
     * @param c             its classification
     * @param probabilities its probabilities
     * @return the line, without a line break
     */
    static String line(String id, Classification c, float[] probabilities) {
        StringBuilder b = new StringBuilder(512);
        b.append(id).append('\t').append(c.category()).append('\t')
                .append(Long.toHexString(Double.doubleToRawLongBits(c.confidence()))).append('\t')
                .append(c.abstained()).append('\t').append(c.abstainReason()).append('\t');
        for (Classification.CategoryScore s : c.top()) {
            b.append(s.category()).append('=').append(Long.toHexString(Double.doubleToRawLongBits(s.confidence())))
                    .append(',');
        }
        b.append('\t').append(c.flags()).append('\t').append(c.language()).append('\t')
                .append(c.explanation().topTerms()).append('\t').append(c.explanation().nearestTicketIds());
        for (float p : probabilities) {
            b.append('\t').append(Integer.toHexString(Float.floatToRawIntBits(p)));
        }
        return b.toString();
    }
}
