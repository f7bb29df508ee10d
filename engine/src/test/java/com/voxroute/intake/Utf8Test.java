package com.voxroute.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void countsTheBytesTheJdkEncoderWrites() {
        for (String s : new String[]{"", "refund", "café", "退款还没到", "\uD840\uDC00 Extension B", "ＶＩＰ　退款１２３"}) {
            assertThat(Utf8.encodedLength(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void anUnpairedSurrogateIsNotEncodable() {
        assertThat(Utf8.encodedLength("a\uD840b")).isEqualTo(-1);
        assertThat(Utf8.encodedLength("\uDC00")).isEqualTo(-1);
        assertThat(Utf8.encodedLength("end\uD840")).isEqualTo(-1);
    }
}
