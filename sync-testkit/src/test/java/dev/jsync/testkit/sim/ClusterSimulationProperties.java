package dev.jsync.testkit.sim;

import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.testkit.Operation;
import dev.jsync.testkit.Scenario;
import dev.jsync.testkit.SimulationReport;
import dev.jsync.testkit.SyncArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The core's rules and engine against every invariant, over generated scenarios of 3 to 5
 * nodes with faults, a third of them starting from pre-seeded folders, half of them merging
 * notes (the replay a failure prints runs those with merging on). 1,000 in CI;
 * {@code -Djsync.sim.tries=200000} for a long run (docs/testkit.md).
 */
class ClusterSimulationProperties {

  @Property(tries = 1000)
  @AddLifecycleHook(SimulationBudget.class)
  void theEngineKeepsEveryInvariant(@ForAll("scenarios") Scenario scenario) {
    // Every other scenario merges notes (.md, .txt): merge bases are kept and every conflict of two
    // notes is tried as a merge first; its conflict copies are named like notes.
    boolean merging = (scenario.seed() & 1) == 0;
    SimulationReport report = merging ? scenario.run(o -> o.withMergeable(MergeableFiles.defaults())) : scenario.run();
    SimulationBudget.count();
    Statistics.label("merging notes").collect(merging);
    Statistics.label("nodes").collect(scenario.nodes().size());
    Statistics.label("user operations applied").collect(bucket(report.operationsApplied()));
    Statistics.label("faults").collect(scenario.operations().stream().anyMatch(Operation::isFault)
        || scenario.faults().resetRate() > 0 || scenario.faults().packetLoss() > 0);
    Statistics.label("disk faults").collect(scenario.hasDiskFaults() ? "injected: " + (report.diskFaults() > 0)
        : "none");
    Statistics.label("pre-seeded folders").collect(!scenario.start().isEmpty());
    Statistics.label("platforms").collect(scenario.mixesPlatforms() ? "mixed" : "Linux only");
    Statistics.label("names refused").collect(report.namesRefused() > 0);
    Statistics.label("transport faults").collect(scenario.faults().hasTransportFaults()
        || scenario.operations().stream().anyMatch(o -> o instanceof Operation.Rehandshake));
    Statistics.label("overlapping index batches").collect(report.overlappingBatches() > 0);
    Statistics.label("skipped index batches").collect(report.batchesSkipped() > 0);
    Statistics.label("index streams resumed").collect(report.indexRequests() > 0);
    Statistics.label("conflict copies").collect(Math.min(report.conflictCopies(), 3));
    Statistics.label("block bytes moved").collect(report.blockBytesSent() > 0);
    Statistics.label("notes merged").collect(Math.min(report.filesMerged(), 3));
    Statistics.label("line edits of a note checked").collect(report.noteEditsMerged() > 0 ? "merged"
        : report.noteEditsCopied() > 0 ? "kept as a copy" : "none");
  }

  private static String bucket(int n) {
    return n == 0 ? "0" : n <= 3 ? "1-3" : n <= 7 ? "4-7" : "8+";
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return SyncArbitraries.scenarios();
  }
}
