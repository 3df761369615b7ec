package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocaleCheckTest {

  @Test
  void utf8NeedsNoWarning() {
    assertThat(LocaleCheck.warning("UTF-8", "Linux", Map.of())).isEmpty();
    assertThat(LocaleCheck.warning("utf8", "Linux", Map.of())).isEmpty();
  }

  @Test
  void thePosixLocaleIsWarnedAboutWithTheFix() {
    assertThat(LocaleCheck.warning("ANSI_X3.4-1968", "Linux", Map.of("LANG", "C")))
        .hasValueSatisfying(w -> assertThat(w).contains("ANSI_X3.4-1968", "LANG=C)", "non-ASCII", "LANG=C.UTF-8",
            "Environment=LANG=C.UTF-8"));
  }

  @Test
  void windowsNamesFilesInUtf16WhateverTheCodePage() {
    assertThat(LocaleCheck.warning("Cp1252", "Windows 11", Map.of())).isEmpty();
  }
}
