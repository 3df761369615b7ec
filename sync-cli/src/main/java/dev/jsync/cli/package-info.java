/**
 * The {@code jsync} command; {@link dev.jsync.cli.Main} is the entry point and everything else
 * lives in {@code dev.jsync.cli.internal}. This is the one module that picks a logging backend
 * (Logback).
 */
package dev.jsync.cli;
