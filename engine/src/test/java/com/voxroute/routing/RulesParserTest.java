package com.voxroute.routing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RulesParserTest {

    /** A minimal valid file; line numbers below refer to it. */
    static final String VALID = String.join("\n",
            "name: mini",                                                     // 1
            "triage: { department: triage, minConfidence: 0.3 }",             // 2
            "sla: { P1: 60, P2: 240, P3: 480, P4: 1440 }",                    // 3
            "calendars:",                                                     // 4
            "  office:",                                                      // 5
            "    zone: Asia/Shanghai",                                        // 6
            "    weekly: { mon-fri: \"08:00-18:00\" }",                       // 7
            "departments:",                                                   // 8
            "  - id: cards",                                                  // 9
            "    calendar: office",                                           // 10
            "    queues: [ { id: c1, capacity: 3 } ]",                        // 11
            "  - id: triage",                                                 // 12
            "    calendar: office",                                           // 13
            "    queues: [ { id: t1, capacity: unlimited } ]",                // 14
            "rules:",                                                         // 15
            "  - id: cards",                                                  // 16
            "    when: { category: card_arrival }",                           // 17
            "    then: { department: cards, priority: P3 }",                  // 18
            "");

    static RulesException error(String yaml) {
        return catchThrowableOfType(RulesException.class, () -> RulesParser.parse(yaml, "rules.yaml"));
    }

    static String withLine(int line, String replacement) {
        String[] lines = VALID.split("\n", -1);
        lines[line - 1] = replacement;
        return String.join("\n", lines);
    }

    @Test
    void theMinimalFileIsValid() {
        RulesConfig c = RulesParser.parse(VALID, "rules.yaml");
        assertThat(c.version()).matches("mini@sha256:[0-9a-f]{12}");
        assertThat(c.departments()).hasSize(2);
        assertThat(c.rules()).singleElement().satisfies(r -> assertThat(r.line()).isEqualTo(16));
    }

    @Test
    void anUnknownKeyIsAnErrorWithItsLine() {
        RulesException e = error(withLine(17, "    whenn: { category: card_arrival }"));
        assertThat(e.getMessage()).isEqualTo("rules.yaml:17: rule 'cards': unknown key 'whenn' "
                + "(allowed: id, description, when, then)");
        assertThat(e.line()).isEqualTo(17);
        assertThat(e.file()).isEqualTo("rules.yaml");
    }

    @Test
    void anUnknownConditionIsAnError() {
        assertThat(error(withLine(17, "    when: { categry: card_arrival }")).getMessage())
                .startsWith("rules.yaml:17: rule 'cards'.when: unknown key 'categry'");
    }

    @Test
    void aBadPriorityNamesItsLine() {
        assertThat(error(withLine(18, "    then: { department: cards, priority: P5 }")).getMessage())
                .isEqualTo("rules.yaml:18: bad priority 'P5' (P1, P2, P3 or P4)");
    }

    @Test
    void anUnknownDepartmentInARuleIsAnError() {
        assertThat(error(withLine(18, "    then: { department: loans }")).getMessage())
                .isEqualTo("rules.yaml:18: rule 'cards': unknown department 'loans'");
    }

    @Test
    void aDuplicateRuleIdIsAnError() {
        String yaml = VALID + "  - id: cards\n    then: { department: triage }\n";
        assertThat(error(yaml).getMessage()).isEqualTo("rules.yaml:19: duplicate rule id 'cards' (first at line 16)");
    }

    @Test
    void aDuplicateKeyIsAnError() {
        assertThat(error(withLine(3, "sla: { P1: 60, P2: 240, P3: 480, P4: 1440, P1: 5 }")).getMessage())
                .startsWith("rules.yaml:3: duplicate key 'P1'");
    }

    @Test
    void aBadTimeZoneAndBadHoursAreErrors() {
        assertThat(error(withLine(6, "    zone: Mars/Olympus")).getMessage())
                .isEqualTo("rules.yaml:6: calendar 'office': unknown time zone 'Mars/Olympus'");
        assertThat(error(withLine(7, "    weekly: { mon-fri: \"18:00-08:00\" }")).getMessage())
                .startsWith("rules.yaml:7: calendar 'office': bad hours '18:00-08:00'");
        assertThat(error(withLine(7, "    weekly: { mon-fry: \"08:00-18:00\" }")).getMessage())
                .startsWith("rules.yaml:7: calendar 'office': bad day 'mon-fry'");
    }

    @Test
    void aBadCapacityIsAnError() {
        assertThat(error(withLine(11, "    queues: [ { id: c1, capacity: -3 } ]")).getMessage())
                .startsWith("rules.yaml:11: capacity (a number >= 0 or 'unlimited'): an integer");
        assertThat(error(withLine(11, "    queues: [ { id: c1, capacity: lots } ]")).getMessage())
                .startsWith("rules.yaml:11: capacity");
    }

    @Test
    void aMissingRequiredKeyNamesTheMapping() {
        assertThat(error(withLine(10, "    name: Cards")).getMessage())
                .isEqualTo("rules.yaml:9: department 'cards': missing required key 'calendar'");
    }

    @Test
    void anOverflowCycleIsAnError() {
        String yaml = withLine(10, "    calendar: office\n    overflow: { department: triage, afterMinutes: 5 }")
                .replace("  - id: triage\n    calendar: office",
                        "  - id: triage\n    calendar: office\n    overflow: { department: cards, afterMinutes: 5 }");
        assertThat(error(yaml).getMessage()).startsWith("rules.yaml:9: overflow cycle: cards -> triage -> cards");
    }

    @Test
    void aCategoryOutsideTheDeclaredVocabularyIsAnError() {
        String yaml = "categories: [card_arrival, \"reverted_card_payment?\"]\n" + VALID;
        assertThat(RulesParser.parse(yaml, "r").categories()).contains("reverted_card_payment?");
        assertThat(error(yaml.replace("category: card_arrival", "category: reverted_card_payment")).getMessage())
                .isEqualTo("rules.yaml:18: rule 'cards'.when: unknown category 'reverted_card_payment' "
                        + "(not in the categories list)");
    }

    @Test
    void aYamlSyntaxErrorNamesItsLine() {
        RulesException e = error(withLine(11, "    queues: [ { id: c1, capacity: 3 } "));
        assertThat(e.getMessage()).startsWith("rules.yaml:").contains("YAML syntax error");
        assertThat(e.line()).isBetween(11, 13);
    }

    @Test
    void anEmptyFileAndAMissingFileAreErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(error("").getMessage()).isEqualTo("rules.yaml: empty rules file");
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> CapacityAwareRouter.fromYaml(missing)).isInstanceOf(RulesException.class)
                .hasMessageStartingWith(missing + ": cannot read");
        Path bad = dir.resolve("bad.yaml");
        Files.write(bad, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> CapacityAwareRouter.fromYaml(bad)).hasMessage(bad + ": not valid UTF-8");
    }

    @Test
    void aRuleNeedingASkillNoQueueHasIsAnError() {
        assertThat(error(withLine(18, "    then: { department: cards, skills: [zh] }")).getMessage())
                .isEqualTo("rules.yaml:18: rule 'cards': no queue has skill 'zh'");
    }

    @Test
    void timesLikeEighteenHundredAreReadAsTextNotSexagesimalNumbers() {
        RulesConfig c = RulesParser.parse(withLine(7, "    weekly: { mon-fri: [08:00-12:00, 13:00-18:00] }"), "r");
        assertThat(c.calendars().get("office").intervals(java.time.DayOfWeek.MONDAY))
                .containsExactly(480, 720, 780, 1080);
    }
}
