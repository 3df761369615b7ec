package dev.jsync.testkit;

import java.time.Duration;

/**
 * What a simulated run did, once every invariant held.
 *
 * @param traceHash a hash of every scheduling step, fault and final tree: equal for two runs
 *     of the same scenario, and almost surely different otherwise
 * @param steps scheduler steps run
 * @param virtualTime virtual time the run took
 * @param operationsApplied user operations carried out (the rest did not fit the folder)
 * @param operationsSkipped user operations skipped
 * @param indexRecordsSent index records the engines sent
 * @param blockBytesSent block data the engines sent
 * @param connectionsOpened connections opened (reconnects included)
 * @param conflictCopies conflict copies in the final tree
 * @param finalPaths paths in the final tree
 * @param rehandshakes re-handshakes started (a second connection over a live one)
 * @param batchesRepeated index batches delivered twice
 * @param batchesSkipped index batches lost on a connection that stayed up
 * @param overlappingBatches index batches delivered that started before what their receiver
 *     had already been sent (see {@link SimulatedNetwork#overlappingBatches()})
 * @param indexRequests requests to resume an index stream that engines sent (after a gap)
 * @param diskFaults operations the nodes' {@link FaultyDisk}s failed on purpose
 * @param namesRefused peers' paths the nodes report, at the end, as ones their file systems
 *     cannot hold (a case variant of a path there, on a Mac or Windows node)
 * @param filesMerged merges of notes the engines made ({@link dev.jsync.core.SyncEvent.FileMerged})
 * @param noteEditsMerged pairs of concurrent line edits found merged ({@link NoteMergeChecker})
 * @param noteEditsCopied pairs of concurrent line edits found kept as a note and its conflict copy
 */
public record SimulationReport(long traceHash, long steps, Duration virtualTime, int operationsApplied,
    int operationsSkipped, long indexRecordsSent, long blockBytesSent, long connectionsOpened, int conflictCopies,
    int finalPaths, long rehandshakes, long batchesRepeated, long batchesSkipped,
    long overlappingBatches, long indexRequests, long diskFaults, long namesRefused,
    long filesMerged, int noteEditsMerged, int noteEditsCopied) {}
