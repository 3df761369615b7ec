package dev.jsync.cli.internal;

import java.util.List;
import java.util.Map;

/** Lets end-to-end tests read the JSON {@code jsync history --json} prints with the CLI's own parser. */
public final class JsonProbe {

  private JsonProbe() {
  }

  /** The objects of a JSON array. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> array(String text) {
    return (List<Map<String, Object>>) StatusFile.parseJson(text);
  }
}
