package dev.jsync.core;

import dev.jsync.core.merge.MergeableFiles;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link SyncNode}. Build one with {@link #builder()} (or change a copy with
 * {@link #toBuilder()}); {@link #defaults()} is a builder's result with nothing changed. New
 * settings arrive as new builder methods with defaults, so code written against this class keeps
 * compiling. The {@code with*} methods are shorthands for {@code toBuilder().x(v).build()}.
 *
 * <p>Immutable and thread-safe; equal when every setting is equal.
 */
public final class SyncOptions {

  private static final SyncOptions DEFAULTS = new Builder().build();

  private final String deviceName;
  private final ConflictResolver resolver;
  private final TombstonePolicy tombstones;
  private final boolean watch;
  private final Duration scanInterval;
  private final Duration quietWindow;
  private final Duration maxEventDelay;
  private final int maxFilesInFlight;
  private final long maxBytesInFlight;
  private final int indexBatchRecords;
  private final Duration retryDelay;
  private final List<String> localIgnores;
  private final NameMatching names;
  private final MergeableFiles mergeable;
  private final long maxPeerRecords;
  private final long maxPeerFileBytes;

  private SyncOptions(Builder b) {
    this.deviceName = b.deviceName;
    this.resolver = b.resolver;
    this.tombstones = b.tombstones;
    this.watch = b.watch;
    this.scanInterval = b.scanInterval;
    this.quietWindow = b.quietWindow;
    this.maxEventDelay = b.maxEventDelay;
    this.maxFilesInFlight = b.maxFilesInFlight;
    this.maxBytesInFlight = b.maxBytesInFlight;
    this.indexBatchRecords = b.indexBatchRecords;
    this.retryDelay = b.retryDelay;
    this.localIgnores = b.localIgnores;
    this.names = b.names;
    this.mergeable = b.mergeable;
    this.maxPeerRecords = b.maxPeerRecords;
    this.maxPeerFileBytes = b.maxPeerFileBytes;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: the host's name, newest wins, 60 s scans, a 100 ms quiet window capped at 1 s. */
  public static SyncOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The name this device gives itself, sent to peers for their logs and status: the only place
   * a device's name is set. Default: the host's name ({@code HOSTNAME} or {@code COMPUTERNAME}),
   * else {@code jsync}.
   */
  public String deviceName() {
    return deviceName;
  }

  /** Picks the winner between truly concurrent versions (docs/conflicts.md). */
  public ConflictResolver resolver() {
    return resolver;
  }

  /** When deletes may be forgotten. */
  public TombstonePolicy tombstones() {
    return tombstones;
  }

  /** Whether to watch the folder for changes (otherwise only periodic scans). */
  public boolean watch() {
    return watch;
  }

  /** Time between full scans, the fallback for missed watcher events (60 s). */
  public Duration scanInterval() {
    return scanInterval;
  }

  /**
   * How long the folder must be quiet before it is scanned, once a burst of events has lasted
   * longer than this (a lone save waits only 10 ms of silence).
   */
  public Duration quietWindow() {
    return quietWindow;
  }

  /** The longest an event waits, so that a file written continuously still syncs. */
  public Duration maxEventDelay() {
    return maxEventDelay;
  }

  /** How many files are pulled at once. */
  public int maxFilesInFlight() {
    return maxFilesInFlight;
  }

  /** How many bytes of block requests may be outstanding at once. */
  public long maxBytesInFlight() {
    return maxBytesInFlight;
  }

  /** The most records per index batch sent to a peer. */
  public int indexBatchRecords() {
    return indexBatchRecords;
  }

  /** How long a path that failed waits before it is tried again. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /**
   * Ignore patterns that apply on this device only ({@code .jsyncignore} syntax, one pattern
   * per element): unlike the folder's {@code .jsyncignore}, which is synced, they travel
   * nowhere. They come after the ignore file's lines, so they have the last word.
   */
  public List<String> localIgnores() {
    return localIgnores;
  }

  /**
   * How the folder's file system compares names: found out at start by default
   * ({@link NameMatching#DETECT}), or set (docs/filesystems.md).
   */
  public NameMatching names() {
    return names;
  }

  /**
   * Which files' concurrent edits are merged line by line, given merge bases
   * ({@link SyncNode.Builder#mergeBases}); their conflict copies keep the file's extension
   * (docs/conflicts.md). Default {@link MergeableFiles#none()}: an embedder opts in, e.g. with
   * {@link MergeableFiles#defaults()} ({@code .md} and {@code .txt} up to 1 MiB), as the CLI does.
   */
  public MergeableFiles mergeable() {
    return mergeable;
  }

  /**
   * The most records this node holds of one peer's index (1,000,000): a batch that would take a
   * peer beyond it is refused and the link to that peer closed, with an {@link SyncEvent.Error}
   * saying why; what was received before stays, and the other peers sync on. It bounds what a
   * peer that knows the secret can make this node store and queue for pulling
   * (docs/protocol.md, threat model).
   */
  public long maxPeerRecords() {
    return maxPeerRecords;
  }

  /**
   * The largest file a peer may announce (64 GiB, above the about 60 GiB one index frame can
   * describe): a record of a larger one is refused like a batch beyond {@link #maxPeerRecords}.
   * Set it lower to keep peers from making this node download files larger than it can hold.
   */
  public long maxPeerFileBytes() {
    return maxPeerFileBytes;
  }

  public SyncOptions withDeviceName(String v) {
    return toBuilder().deviceName(v).build();
  }

  public SyncOptions withResolver(ConflictResolver v) {
    return toBuilder().resolver(v).build();
  }

  public SyncOptions withTombstones(TombstonePolicy v) {
    return toBuilder().tombstones(v).build();
  }

  public SyncOptions withWatch(boolean v) {
    return toBuilder().watch(v).build();
  }

  public SyncOptions withScanInterval(Duration v) {
    return toBuilder().scanInterval(v).build();
  }

  public SyncOptions withQuietWindow(Duration quiet, Duration maxDelay) {
    return toBuilder().quietWindow(quiet, maxDelay).build();
  }

  public SyncOptions withLimits(int files, long bytes) {
    return toBuilder().limits(files, bytes).build();
  }

  public SyncOptions withIndexBatchRecords(int v) {
    return toBuilder().indexBatchRecords(v).build();
  }

  public SyncOptions withRetryDelay(Duration v) {
    return toBuilder().retryDelay(v).build();
  }

  /** How the folder's file system compares names ({@link NameMatching#DETECT}: probe it at start). */
  public SyncOptions withNames(NameMatching v) {
    return toBuilder().names(v).build();
  }

  public SyncOptions withMergeable(MergeableFiles v) {
    return toBuilder().mergeable(v).build();
  }

  public SyncOptions withPeerIndexLimits(long records, long fileBytes) {
    return toBuilder().peerIndexLimits(records, fileBytes).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncOptions s && s.deviceName.equals(deviceName) && s.resolver.equals(resolver)
        && s.tombstones.equals(tombstones) && s.watch == watch && s.scanInterval.equals(scanInterval)
        && s.quietWindow.equals(quietWindow) && s.maxEventDelay.equals(maxEventDelay)
        && s.maxFilesInFlight == maxFilesInFlight && s.maxBytesInFlight == maxBytesInFlight
        && s.indexBatchRecords == indexBatchRecords && s.retryDelay.equals(retryDelay)
        && s.localIgnores.equals(localIgnores) && s.names == names
        && s.mergeable.equals(mergeable) && s.maxPeerRecords == maxPeerRecords
        && s.maxPeerFileBytes == maxPeerFileBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceName, resolver, tombstones, watch, scanInterval, quietWindow, maxEventDelay,
        maxFilesInFlight, maxBytesInFlight, indexBatchRecords, retryDelay, localIgnores,
        names, mergeable, maxPeerRecords, maxPeerFileBytes);
  }

  @Override
  public String toString() {
    return "SyncOptions[deviceName=" + deviceName + ", resolver=" + resolver + ", tombstones=" + tombstones
        + ", watch=" + watch + ", scanInterval=" + scanInterval + ", quietWindow=" + quietWindow
        + ", maxEventDelay=" + maxEventDelay + ", maxFilesInFlight=" + maxFilesInFlight + ", maxBytesInFlight="
        + maxBytesInFlight + ", indexBatchRecords=" + indexBatchRecords + ", retryDelay=" + retryDelay
        + ", localIgnores=" + localIgnores + ", names=" + names + ", mergeable=" + mergeable
        + ", maxPeerRecords=" + maxPeerRecords + ", maxPeerFileBytes=" + maxPeerFileBytes + "]";
  }

  /**
   * Builds {@link SyncOptions}; starts from the defaults. Each setter checks its value at once
   * and throws {@link IllegalArgumentException} or {@link NullPointerException}. Not thread-safe.
   */
  public static final class Builder {
    /** One instance, so that options built with the defaults compare equal. */
    private static final TombstonePolicy DEFAULT_TOMBSTONES = TombstonePolicy.defaults();
    private static final String HOST_NAME = hostName();
    private String deviceName = HOST_NAME;
    private ConflictResolver resolver = NewestWinsResolver.defaults();
    private TombstonePolicy tombstones = DEFAULT_TOMBSTONES;
    private boolean watch = true;
    private Duration scanInterval = Duration.ofSeconds(60);
    private Duration quietWindow = Duration.ofMillis(100);
    private Duration maxEventDelay = Duration.ofSeconds(1);
    private int maxFilesInFlight = 64;
    private long maxBytesInFlight = 8L << 20;
    private int indexBatchRecords = 1000;
    private Duration retryDelay = Duration.ofSeconds(10);
    private List<String> localIgnores = List.of();
    private NameMatching names = NameMatching.DETECT;
    private MergeableFiles mergeable = MergeableFiles.none();
    private long maxPeerRecords = 1_000_000;
    private long maxPeerFileBytes = 64L << 30;

    private Builder() {
    }

    private Builder(SyncOptions o) {
      deviceName = o.deviceName;
      resolver = o.resolver;
      tombstones = o.tombstones;
      watch = o.watch;
      scanInterval = o.scanInterval;
      quietWindow = o.quietWindow;
      maxEventDelay = o.maxEventDelay;
      maxFilesInFlight = o.maxFilesInFlight;
      maxBytesInFlight = o.maxBytesInFlight;
      indexBatchRecords = o.indexBatchRecords;
      retryDelay = o.retryDelay;
      localIgnores = o.localIgnores;
      names = o.names;
      mergeable = o.mergeable;
      maxPeerRecords = o.maxPeerRecords;
      maxPeerFileBytes = o.maxPeerFileBytes;
    }

    /** See {@link SyncOptions#deviceName()}: 1 to 255 characters, none of them a control character. */
    public Builder deviceName(String v) {
      Objects.requireNonNull(v, "deviceName");
      if (v.isEmpty() || v.length() > 255 || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("a device name is 1 to 255 printable characters: " + v);
      }
      this.deviceName = v;
      return this;
    }

    public Builder resolver(ConflictResolver v) {
      this.resolver = Objects.requireNonNull(v, "resolver");
      return this;
    }

    public Builder tombstones(TombstonePolicy v) {
      this.tombstones = Objects.requireNonNull(v, "tombstones");
      return this;
    }

    public Builder watch(boolean v) {
      this.watch = v;
      return this;
    }

    public Builder scanInterval(Duration v) {
      this.scanInterval = positive(v, "scanInterval");
      return this;
    }

    /** See {@link SyncOptions#quietWindow()} and {@link SyncOptions#maxEventDelay()}. */
    public Builder quietWindow(Duration quiet, Duration maxDelay) {
      this.quietWindow = positive(quiet, "quietWindow");
      this.maxEventDelay = positive(maxDelay, "maxEventDelay");
      return this;
    }

    /** At least one file and one block ({@value BlockInfo#SIZE} bytes) in flight. */
    public Builder limits(int files, long bytes) {
      if (files < 1 || bytes < BlockInfo.SIZE) {
        throw new IllegalArgumentException("limits must allow at least one file and one block");
      }
      this.maxFilesInFlight = files;
      this.maxBytesInFlight = bytes;
      return this;
    }

    public Builder indexBatchRecords(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("an index batch holds at least one record");
      }
      this.indexBatchRecords = v;
      return this;
    }

    public Builder retryDelay(Duration v) {
      this.retryDelay = positive(v, "retryDelay");
      return this;
    }

    /** See {@link SyncOptions#localIgnores()}; replaces any given before. */
    public Builder localIgnores(List<String> patterns) {
      this.localIgnores = List.copyOf(patterns);
      return this;
    }

    /** See {@link SyncOptions#names()}. */
    public Builder names(NameMatching v) {
      this.names = Objects.requireNonNull(v, "names");
      return this;
    }

    /** See {@link SyncOptions#mergeable()}. */
    public Builder mergeable(MergeableFiles v) {
      this.mergeable = Objects.requireNonNull(v, "mergeable");
      return this;
    }

    /** See {@link SyncOptions#maxPeerRecords()} and {@link SyncOptions#maxPeerFileBytes()}; both positive. */
    public Builder peerIndexLimits(long records, long fileBytes) {
      if (records < 1 || fileBytes < 1) {
        throw new IllegalArgumentException("peer index limits must be positive: " + records + ", " + fileBytes);
      }
      this.maxPeerRecords = records;
      this.maxPeerFileBytes = fileBytes;
      return this;
    }

    public SyncOptions build() {
      return new SyncOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    private static String hostName() {
      for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
        String v = System.getenv(var);
        if (v != null) {
          String clean = v.strip().replaceAll("\\p{Cntrl}", "");
          if (!clean.isEmpty()) {
            return clean.substring(0, Math.min(255, clean.length()));
          }
        }
      }
      return "jsync";
    }
  }
}
