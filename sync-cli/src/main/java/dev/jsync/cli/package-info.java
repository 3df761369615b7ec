/** The {@code jsync} command line; {@link dev.jsync.cli.Main} is the entry point. */
package dev.jsync.cli;
