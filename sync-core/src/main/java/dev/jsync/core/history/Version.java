package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One kept version of a file: content a peer's change replaced or removed on this device, held
 * in the {@link VersionStore}. Immutable.
 *
 * @param id an opaque id, unique in its store, accepted by {@link VersionStore#find(String)} and
 *     by {@code jsync restore --version}
 * @param path where the file was, relative to the synced folder
 * @param sha256 the SHA-256 of the content, 64 lowercase hex digits; the content's name in the store
 * @param size the content's length in bytes
 * @param time when it was replaced or removed
 * @param reason why it was kept
 * @param by the name of the device whose change replaced or removed it
 */
public record Version(String id, RelativePath path, String sha256, long size, Instant time, Reason reason, String by) {

  /** Why a version was kept. */
  public enum Reason {
    /** A peer's newer version replaced it. */
    REPLACED,
    /** A peer's delete removed it. */
    DELETED,
    /** It lost a conflict (it is also kept as a conflict copy in the folder, as always). */
    CONFLICT;

    /** The lowercase name used in records, JSON and tables: {@code replaced}, {@code deleted}, {@code conflict}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException if {@code label} is not one of the labels */
    public static Reason ofLabel(String label) {
      for (Reason r : values()) {
        if (r.label().equals(label)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown reason '" + label + "'");
    }
  }

  public Version {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    if (!VersionIds.isValid(id)) {
      throw new IllegalArgumentException("not a version id: " + id);
    }
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }
}
