package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void whatIsWrittenParsesBackToTheSameValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "caf\u00e9 \"quoted\" \\ \n\t\u0001");
    m.put("number", 42L);
    m.put("negative", -7L);
    m.put("yes", true);
    m.put("nothing", null);
    m.put("list", List.of(1L, "two", List.of(), Map.of()));
    m.put("nested", Map.of("k", false));
    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }

  @Test
  void numbersWithAFractionAreDoubles() {
    assertThat(Json.parse("[1.5, 2e3, 7]")).isEqualTo(Arrays.asList(1.5, 2000.0, 7L));
  }

  @Test
  void escapesFromOtherWriters() {
    assertThat(Json.parse("\"a\\u00e9\\/b\"")).isEqualTo("a\u00e9/b");
  }

  @Test
  void brokenTextIsRefused() {
    for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{} x", "{1:2}"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
