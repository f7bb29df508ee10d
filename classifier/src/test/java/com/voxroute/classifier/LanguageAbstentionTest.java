package com.voxroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model refuses tickets in a language it was not trained on (reason {@code unsupported-language}) instead of
 * guessing from the few terms the two languages share, and still classifies the languages it knows, mixed text
 * included. Models: the bilingual fixture, and its English-only and Chinese-only halves.
 */
class LanguageAbstentionTest {

    @TempDir
    static Path tempDir;
    static ClassifierModel english;
    static ClassifierModel chinese;
    static ClassifierModel bilingual;

    @BeforeAll
    static void trainOneModelPerLanguageMix() throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.bilingualTrain());
        Path en = tempDir.resolve("en.jsonl");
        Path zh = tempDir.resolve("zh.jsonl");
        Files.write(en, lines.stream().filter(l -> l.contains("\"lang\": \"en\"")).toList());
        Files.write(zh, lines.stream().filter(l -> l.contains("\"lang\": \"zh\"")).toList());
        ModelTrainer.train(en, tempDir.resolve("m-en"), "auto");
        ModelTrainer.train(zh, tempDir.resolve("m-zh"), "auto");
        ModelTrainer.train(Fixtures.bilingualTrain(), tempDir.resolve("m-both"), "auto");
        english = ClassifierModel.load(tempDir.resolve("m-en"));
        chinese = ClassifierModel.load(tempDir.resolve("m-zh"));
        bilingual = ClassifierModel.load(tempDir.resolve("m-both"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "A市某某区居民反映，XX小区门口道路破损严重，希望有关部门尽快维修。",
            "信用卡被偷了怎么办",
            "您好，我想咨询一下社保卡补办需要哪些材料，谢谢。",
            "2019年5月12日A市B区某某路口积水严重，市民出行非常不便，请尽快处理。"})
    void anEnglishModelRefusesChineseTextInsteadOfGuessingFromStrayLatinLetters(String text) {
        Classification c = english.classify(text);
        assertThat(c.language()).isEqualTo("zh");
        assertThat(c.abstained()).isTrue();
        assertThat(c.abstainReason()).isEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(c.category()).isEqualTo(Classification.NO_CATEGORY);
        assertThat(c.confidence()).isZero();
        assertThat(c.top()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"I lost my card yesterday", "why is there a fee on my statement",
            "refund 2040002 please"})
    void aChineseModelRefusesEnglishText(String text) {
        Classification c = chinese.classify(text);
        assertThat(c.language()).isEqualTo("en");
        assertThat(c.abstainReason()).isEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(c.category()).isEqualTo(Classification.NO_CATEGORY);
        assertThat(c.confidence()).isZero();
    }

    @Test
    void eachSingleLanguageModelStillClassifiesItsOwnLanguage() {
        Classification en = english.classify("someone stole my card");
        Classification zh = chinese.classify("信用卡丢了");
        assertThat(en.abstainReason()).isNotEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(en.category()).isEqualTo("card_lost");
        assertThat(zh.abstainReason()).isNotEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(zh.category()).isEqualTo("card_lost");
    }

    @Test
    void mixedTextIsClassifiedEvenByASingleLanguageModel() {
        Classification c = english.classify("my card was stolen 被偷了 please block it");
        assertThat(c.language()).isEqualTo("mixed");
        assertThat(c.abstainReason()).isNotEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(c.category()).isEqualTo("card_lost");
    }

    @Test
    void aModelTrainedOnBothLanguagesClassifiesEnglishChineseAndMixedTickets() {
        assertThat(bilingual.classify("I lost my bank card").category()).isEqualTo("card_lost");
        assertThat(bilingual.classify("退款还没到").category()).isEqualTo("refund");
        Classification mixed = bilingual.classify("VIP 退款123");
        assertThat(mixed.abstainReason()).isNotEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(mixed.category()).isEqualTo("refund");
    }

    @Test
    void flagsAreStillSetOnATicketInAnUnsupportedLanguage() {
        Classification c = english.classify("我的信用卡被盗刷了");
        assertThat(c.abstainReason()).isEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
        assertThat(c.flags()).contains("fraud");
    }

    @Test
    void theTrainingLanguagesAreSavedWithTheModel() throws IOException {
        String json = Files.readString(tempDir.resolve("m-en").resolve(ModelFiles.JSON_FILE));
        assertThat(json).contains("\"languages\"");
        assertThat(english.trainingLanguageTickets).containsExactly(32, 0, 0, 0);
        assertThat(chinese.trainingLanguageTickets).containsExactly(0, 24, 0, 0);
    }

    @Test
    void aModelDirectoryWithoutTrainingLanguagesAcceptsEveryLanguage() throws IOException {
        Path old = tempDir.resolve("m-en-old");
        ModelFiles.write(english, old);
        Path json = old.resolve(ModelFiles.JSON_FILE);
        String text = Files.readString(json);
        String withoutLanguages = text.replaceAll("(?s),\\s*\"languages\"\\s*:\\s*\\{[^}]*}", "");
        assertThat(withoutLanguages).doesNotContain("\"languages\"");
        Files.writeString(json, withoutLanguages);
        ClassifierModel reloaded = ClassifierModel.load(old);
        assertThat(reloaded.trainingLanguageTickets).isNull();
        assertThat(reloaded.classify("信用卡被偷了怎么办").abstainReason())
                .isNotEqualTo(ClassifierModel.UNSUPPORTED_LANGUAGE);
    }

    @Test
    void aLanguageIsSupportedFromOnePercentOfTheTrainingTickets() {
        assertThat(ClassifierModel.supportsLanguage(new int[] {990, 10, 0, 0}, "zh")).isTrue();
        assertThat(ClassifierModel.supportsLanguage(new int[] {991, 9, 0, 0}, "zh")).isFalse();
        assertThat(ClassifierModel.supportsLanguage(new int[] {0, 2548, 348, 25}, "en")).isFalse();
        assertThat(ClassifierModel.supportsLanguage(new int[] {0, 100, 0, 0}, "mixed")).isTrue();
        assertThat(ClassifierModel.supportsLanguage(new int[] {0, 100, 0, 0}, "und")).isTrue();
        assertThat(ClassifierModel.supportsLanguage(null, "en")).isTrue();
    }
}
