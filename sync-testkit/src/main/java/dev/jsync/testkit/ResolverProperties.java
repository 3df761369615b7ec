package dev.jsync.testkit;

import dev.jsync.core.ConflictResolver;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Ready-made jqwik properties for a {@link ConflictResolver}: extend this class in your test
 * sources, return your resolver from {@link #resolver()}, and jqwik checks that it is
 * deterministic, symmetric and total (as the interface requires), that picking the winner of
 * several versions does not depend on the order they meet in (or devices would disagree),
 * that no loser is ever lost, and that clusters of two and of three or four simulated devices
 * using it converge with every invariant of {@link SimulatedCluster} kept.
 *
 * <pre>{@code
 * class LaptopAlwaysWinsProperties extends ResolverProperties {
 *   @Override
 *   protected ConflictResolver resolver() {
 *     return new LaptopAlwaysWins();
 *   }
 * }
 * }</pre>
 *
 * <p>The {@code check*} methods are the same checks, for use in your own properties or tests;
 * each throws an {@link AssertionError} saying what went wrong. docs/testkit.md has a worked
 * example.
 */
public abstract class ResolverProperties {

  /** The resolver under test; called once per try. */
  protected abstract ConflictResolver resolver();

  /**
   * The devices of generated records and clusters, by name (default: laptop, desktop, pi,
   * vps); at least three. Override to test a resolver that favours devices by name.
   */
  protected List<String> deviceNames() {
    return SyncArbitraries.DEVICE_NAMES.subList(0, 4);
  }

  @Property(tries = 300)
  public void isDeterministic(@ForAll("concurrentPairs") FileRecord[] pair) {
    checkDeterministic(resolver(), pair[0], pair[1]);
  }

  @Property(tries = 300)
  public void isSymmetric(@ForAll("concurrentPairs") FileRecord[] pair) {
    checkSymmetric(resolver(), pair[0], pair[1]);
  }

  @Property(tries = 300)
  public void returnsOneOfItsArguments(@ForAll("concurrentPairs") FileRecord[] pair) {
    checkTotal(resolver(), pair[0], pair[1]);
  }

  @Property(tries = 300)
  public void theWinnerOfThreeDoesNotDependOnTheOrder(@ForAll("concurrentTriples") FileRecord[] three) {
    checkOrderIndependent(resolver(), three[0], three[1], three[2]);
  }

  @Property(tries = 300)
  public void noLoserIsLost(@ForAll("concurrentPairs") FileRecord[] pair) {
    checkNoLoserLost(resolver(), pair[0], pair[1]);
  }

  @Property(tries = 40)
  public void twoPeersConverge(@ForAll("twoNodeScenarios") Scenario scenario) {
    checkConverges(resolver(), scenario);
  }

  @Property(tries = 40)
  public void manyPeersConverge(@ForAll("manyNodeScenarios") Scenario scenario) {
    checkConverges(resolver(), scenario);
  }

  @Provide
  public Arbitrary<FileRecord[]> concurrentPairs() {
    return SyncArbitraries.concurrentRecordPairs(devices());
  }

  @Provide
  public Arbitrary<FileRecord[]> concurrentTriples() {
    return SyncArbitraries.concurrentRecordTriples(devices());
  }

  @Provide
  public Arbitrary<Scenario> twoNodeScenarios() {
    return SyncArbitraries.scenarios(deviceNames(), 2, 2, 16);
  }

  @Provide
  public Arbitrary<Scenario> manyNodeScenarios() {
    return SyncArbitraries.scenarios(deviceNames(), 3, Math.min(4, deviceNames().size()), 16);
  }

  private List<DeviceId> devices() {
    return deviceNames().stream().map(DeviceId::fromName).toList();
  }

  // ---------------------------------------------------------------- the checks

  /** Asking twice gives the same answer. */
  public static void checkDeterministic(ConflictResolver resolver, FileRecord a, FileRecord b) {
    FileRecord first = resolver.winner(a, b);
    FileRecord again = resolver.winner(a, b);
    if (!Objects.equals(first, again)) {
      throw new AssertionError("not deterministic: winner(a, b) was " + first + ", then " + again
          + "\n  a = " + a + "\n  b = " + b);
    }
  }

  /** {@code winner(a, b)} and {@code winner(b, a)} pick the same record. */
  public static void checkSymmetric(ConflictResolver resolver, FileRecord a, FileRecord b) {
    FileRecord ab = resolver.winner(a, b);
    FileRecord ba = resolver.winner(b, a);
    if (!Objects.equals(ab, ba)) {
      throw new AssertionError("not symmetric: winner(a, b) = " + ab + " but winner(b, a) = " + ba
          + "\n  a = " + a + "\n  b = " + b);
    }
  }

  /** The winner is one of the two arguments. */
  public static void checkTotal(ConflictResolver resolver, FileRecord a, FileRecord b) {
    FileRecord w = resolver.winner(a, b);
    if (!a.equals(w) && !b.equals(w)) {
      throw new AssertionError("returned neither argument: " + w + "\n  a = " + a + "\n  b = " + b);
    }
  }

  /**
   * The winner of three concurrent versions is the same whichever two meet first. Devices
   * receive versions in different orders; a resolver that is not a consistent ranking (rock,
   * paper, scissors) lets them settle on different winners.
   */
  public static void checkOrderIndependent(ConflictResolver resolver, FileRecord a, FileRecord b, FileRecord c) {
    FileRecord abc = resolver.winner(resolver.winner(a, b), c);
    FileRecord bca = resolver.winner(resolver.winner(b, c), a);
    FileRecord acb = resolver.winner(resolver.winner(a, c), b);
    if (!abc.equals(bca) || !abc.equals(acb)) {
      throw new AssertionError("the winner depends on the order versions meet in: " + abc + ", " + bca + ", "
          + acb + "\n  a = " + a + "\n  b = " + b + "\n  c = " + c);
    }
  }

  /**
   * Two devices holding concurrent versions exchange them through a {@link Reconciler} using
   * the resolver, carrying out every decision on a model of their folders, until nothing
   * changes: both end with the same tree, and each live version's content is still there, at
   * its path or as a conflict copy.
   */
  public static void checkNoLoserLost(ConflictResolver resolver, FileRecord a, FileRecord b) {
    Reconciler reconciler = new Reconciler(resolver);
    ModelFolder atA = new ModelFolder(a);
    ModelFolder atB = new ModelFolder(b);
    boolean changed = true;
    for (int round = 0; round < 10 && changed; round++) {
      changed = atA.receive(atB.records(), reconciler) | atB.receive(atA.records(), reconciler);
    }
    if (changed) {
      throw new AssertionError("two devices did not settle within 10 exchanges\n  a = " + a + "\n  b = " + b);
    }
    if (!atA.tree().equals(atB.tree())) {
      throw new AssertionError("the two devices differ: " + atA.tree() + " vs " + atB.tree() + "\n  a = " + a
          + "\n  b = " + b);
    }
    for (FileRecord original : List.of(a, b)) {
      if (!original.deleted() && atA.tree().stream().noneMatch(e -> e.endsWith("=" + ModelFolder.content(original)))) {
        throw new AssertionError("lost " + original + ": the devices hold " + atA.tree() + "\n  a = " + a + "\n  b = "
            + b);
      }
    }
  }

  /**
   * Runs {@code scenario} with {@code resolver} on every node and checks every invariant (see
   * {@link Scenario#run()}).
   *
   * @throws SimulationFailure naming the invariant and the replay
   */
  public static SimulationReport checkConverges(ConflictResolver resolver, Scenario scenario) {
    return scenario.run(options -> options.withResolver(resolver));
  }

  /** One device's folder as records, changed only by carrying out decisions. */
  private static final class ModelFolder {
    private final TreeMap<RelativePath, FileRecord> index = new TreeMap<>();
    private final DeviceId self;

    ModelFolder(FileRecord initial) {
      this.self = initial.modifiedBy();
      index.put(initial.path(), initial);
    }

    List<FileRecord> records() {
      return new ArrayList<>(index.values());
    }

    boolean receive(List<FileRecord> remote, Reconciler reconciler) {
      boolean changed = false;
      for (FileRecord r : remote) {
        Decision d = reconciler.decide(Optional.ofNullable(index.get(r.path())), r);
        if (d instanceof Decision.Adopt adopt) {
          changed |= put(adopt.result());
        } else if (d instanceof Decision.Apply apply) {
          if (apply.conflictCopy().isPresent()) {
            FileRecord loser = index.get(r.path());
            changed |= put(loser.withPath(apply.conflictCopy().get()));
          }
          changed |= put(apply.result());
        }
      }
      return changed;
    }

    private boolean put(FileRecord r) {
      return !r.equals(index.put(r.path(), r));
    }

    /** The content of every live entry, by path. */
    List<String> tree() {
      List<String> out = new ArrayList<>();
      for (FileRecord r : index.values()) {
        if (!r.deleted()) {
          out.add(r.path() + "=" + content(r));
        }
      }
      return out;
    }

    /** What a record holds, as the tree lists it. */
    static String content(FileRecord r) {
      return r.kind() + ":" + r.contentHash() + ":" + r.symlinkTarget();
    }

    @Override
    public String toString() {
      return self.shortId() + " " + tree();
    }
  }
}
