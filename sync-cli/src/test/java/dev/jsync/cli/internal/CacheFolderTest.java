package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheFolderTest {

  @Test
  void linuxUsesXdgCacheHomeWhenAbsoluteElseDotCache() {
    assertThat(CacheFolder.of(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "Linux", "/home/me"))
        .contains(Path.of("/var/cache/me/jsync"));
    assertThat(CacheFolder.of(Map.of(), "Linux", "/home/me")).contains(Path.of("/home/me/.cache/jsync"));
    // The XDG rule: a relative value is ignored.
    assertThat(CacheFolder.of(Map.of("XDG_CACHE_HOME", "cache"), "Linux", "/home/me"))
        .contains(Path.of("/home/me/.cache/jsync"));
    assertThat(CacheFolder.of(Map.of(), "FreeBSD", "/home/me")).contains(Path.of("/home/me/.cache/jsync"));
  }

  @Test
  void macOsUsesLibraryCaches() {
    assertThat(CacheFolder.of(Map.of("XDG_CACHE_HOME", "/x"), "Mac OS X", "/Users/me"))
        .contains(Path.of("/Users/me/Library/Caches/jsync"));
  }

  @Test
  void noHomeMeansNoCacheFolder() {
    assertThat(CacheFolder.of(Map.of(), "Linux", "?")).isEmpty();
    assertThat(CacheFolder.of(Map.of(), "Linux", "")).isEmpty();
    assertThat(CacheFolder.of(Map.of(), "Linux", null)).isEmpty();
    assertThat(CacheFolder.of(Map.of(), "Windows 11", "C:\\Users\\me")).isEmpty(); // no LOCALAPPDATA
  }
}
