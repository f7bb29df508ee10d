package com.voxroute.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a small tree that remembers the line of every key and value, so schema errors can
 * name the line. Built on Jackson's streaming YAML parser (which reports token locations); Jackson's own
 * {@code JsonNode} tree forgets locations. Duplicate keys are errors. Package-private: only the rules parser
 * uses it.
 */
final class YamlTree {

    /**
     * Deepest nesting of mappings and sequences accepted. A rules file needs about six levels; Jackson's default
     * (1,000) let a hostile 5,000-deep upload take seconds before failing with a message about Jackson's own
     * settings.
     */
    static final int MAX_NESTING_DEPTH = 64;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private YamlTree() {
    }

    /** A node of the tree. */
    sealed interface Node permits MapNode, ListNode, Scalar {
        /** @return the 1-based line where the node starts */
        int line();
    }

    /** A mapping; entries in file order. */
    record MapNode(int line, Map<String, Entry> entries) implements Node {
    }

    /** One key of a mapping: the key's line and the value. */
    record Entry(String key, int keyLine, Node value) {
    }

    /** A sequence. */
    record ListNode(int line, List<Node> items) implements Node {
    }

    /**
     * A scalar.
     *
     * @param text  the text as written (for a YAML null, {@code null})
     * @param token Jackson's token kind (string, int, float, true/false, null)
     */
    record Scalar(int line, String text, JsonToken token) implements Node {
    }

    /**
     * Parses one YAML document.
     *
     * @param text   the YAML text
     * @param source the file name for error messages
     * @return the root node
     * @throws RulesException on a syntax error, a duplicate key, an empty document, more than one document or
     *                        nesting deeper than {@link #MAX_NESTING_DEPTH}
     */
    static Node parse(String text, String source) {
        try (JsonParser p = FACTORY.createParser(text)) {
            try {
                return document(p, source);
            } catch (StreamConstraintsException e) {
                throw new RulesException(source, line(p), "nested deeper than " + MAX_NESTING_DEPTH
                        + " levels of mappings and lists");
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            throw new RulesException(source, 0, "cannot read YAML: " + e);
        }
    }

    private static Node document(JsonParser p, String source) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new RulesException(source, 0, "empty rules file");
        }
        Node root = read(p, t, source);
        JsonToken next = p.nextToken();
        if (next != null) {
            throw new RulesException(source, line(p), "more than one YAML document");
        }
        return root;
    }

    /**
     * One line for a YAML syntax error, at the line where the problem is. SnakeYAML (under Jackson) knows that
     * line exactly (its problem mark, 0-based); Jackson's own location is that of the last good token, often
     * the line before. SnakeYAML's message spans several lines with a source excerpt: only the problem is kept.
     */
    private static RulesException syntaxError(JsonProcessingException e, String source) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            String problem = m.getProblem() == null ? "syntax error" : m.getProblem();
            return new RulesException(source, m.getProblemMark().getLine() + 1, "YAML syntax error: "
                    + oneLine(problem) + " (column " + (m.getProblemMark().getColumn() + 1) + ")");
        }
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String message = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
        int cut = message.indexOf('\n');
        return new RulesException(source, Math.max(line, 0), "YAML syntax error: "
                + oneLine(cut < 0 ? message : message.substring(0, cut)));
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ').replaceAll(" {2,}", " ").trim();
    }

    private static int line(JsonParser p) {
        return Math.max(p.currentTokenLocation().getLineNr(), 0);
    }

    private static Node read(JsonParser p, JsonToken t, String source) throws IOException {
        int line = line(p);
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (entries.containsKey(key)) {
                        throw new RulesException(source, keyLine, "duplicate key '" + key + "' (first at line "
                                + entries.get(key).keyLine() + ")");
                    }
                    Node value = read(p, p.nextToken(), source);
                    entries.put(key, new Entry(key, keyLine, value));
                }
                return new MapNode(line, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(p, v, source));
                }
                return new ListNode(line, items);
            }
            case VALUE_NULL -> {
                return new Scalar(line, null, t);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(line, p.getText(), t);
            }
            default -> throw new RulesException(source, line, "unsupported YAML content: " + t);
        }
    }
}
