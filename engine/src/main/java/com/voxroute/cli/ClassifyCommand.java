package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.classifier.Classification;
import com.voxroute.classifier.ClassifierModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code voxroute classify}: classifies one text and prints category, confidence, abstention, flags and the
 * explanation (top weighted terms, nearest training tickets). Exit 0, 2 usage error (bad model directory; a
 * {@code --file}, or standard input with {@code --file -}, that is not valid UTF-8).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classifies one ticket text with a trained model.")
public final class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "trained model directory")
    Path model;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Parameters(paramLabel = "TEXT", arity = "0..1",
            description = "the ticket text (quote it; put -- before a text that starts with -)")
    String text;

    @Option(names = "--file", paramLabel = "FILE",
            description = "read the ticket text from FILE (UTF-8; - for standard input) instead of TEXT, "
                    + "for texts too long for a command line")
    Path file;

    @Override
    public Integer call() throws IOException {
        if ((text == null) == (file == null)) {
            throw new UsageException("give the ticket text either as TEXT or with --file, not both or neither");
        }
        if (file != null) {
            if (java.nio.file.Files.isDirectory(file)) {
                throw new UsageException("--file must be a text file, but " + file + " is a directory");
            }
            try {
                // both strict (a reporting decoder, as Files.readString): invalid UTF-8 on stdin is refused like
                // in a file, never classified as replacement characters
                text = "-".equals(file.toString())
                        ? java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                                .decode(java.nio.ByteBuffer.wrap(System.in.readAllBytes())).toString()
                        : java.nio.file.Files.readString(file);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new UsageException("--file " + file + " is not valid UTF-8");
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("--file " + file + " does not exist");
            }
        }
        ClassifierModel classifier = load(model);
        Classification c = classifier.classify(text);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", c.category());
            m.put("confidence", c.confidence());
            m.put("abstained", c.abstained());
            m.put("abstainReason", c.abstainReason());
            m.put("top", c.top());
            m.put("flags", c.flags());
            m.put("language", c.language());
            m.put("explanation", c.explanation());
            m.put("modelVersion", classifier.modelVersion());
            o.println(new ObjectMapper().writeValueAsString(m));
        } else {
            o.printf(Locale.ROOT, "category    %s%s%n", c.category(),
                    c.abstained() ? "  (abstained: " + c.abstainReason() + " -> triage)" : "");
            o.printf(Locale.ROOT, "confidence  %.4f%n", c.confidence());
            o.printf(Locale.ROOT, "flags       %s%n", c.flags().isEmpty() ? "-" : String.join(", ", c.flags()));
            o.printf(Locale.ROOT, "language    %s%n", c.language());
            StringBuilder top = new StringBuilder();
            for (Classification.CategoryScore s : c.top()) {
                top.append(top.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f", s.category(), s.confidence()));
            }
            o.printf(Locale.ROOT, "top         %s%n", top.isEmpty() ? "-" : top);
            o.printf(Locale.ROOT, "terms       %s%n", String.join(", ", c.explanation().topTerms()));
            o.printf(Locale.ROOT, "nearest     %s%n", String.join(", ", c.explanation().nearestTicketIds()));
            o.printf(Locale.ROOT, "model       %s%n", classifier.modelVersion());
        }
        o.flush();
        return ExitCodes.OK;
    }

    /**
     * Loads a model for a command, turning a bad directory into a one-line usage error.
     *
     * @param dir model directory
     * @return the model
     * @throws UsageException when the directory is missing, a file, not a model, or of another format version
     */
    static ClassifierModel load(Path dir) {
        Components.requireModelDirectory(dir);
        try {
            return ClassifierModel.load(dir);
        } catch (NoSuchFileException e) {
            throw new UsageException(e.getReason() != null ? e.getFile() + ": " + e.getReason()
                    : "model file missing: " + e.getFile());
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot load model " + dir + ": " + e.getMessage());
        }
    }
}
