/**
 * How the {@code jsync} command works inside: {@link dev.jsync.cli.internal.Cli} wires picocli,
 * {@link dev.jsync.cli.internal.JsyncCommand} validates a run into
 * {@link dev.jsync.cli.internal.RunSettings} and hands it to
 * {@link dev.jsync.cli.internal.NodeRunner}; {@link dev.jsync.cli.internal.StatusCommand} reads
 * what a running node writes with {@link dev.jsync.cli.internal.StatusFile}. Not an API.
 */
package dev.jsync.cli.internal;
