/**
 * Merging concurrent edits of text notes: which files may be merged ({@link MergeableFiles}) and
 * the three-way line merge itself ({@link TextMerge}). Pure functions of their inputs, so every
 * device that merges the same three versions writes the same bytes.
 */
package dev.jsync.core.merge;
