/**
 * The {@code retina} command line: one picocli subcommand per job (train, evaluate, predict, summary,
 * report, features, fetch, import, export), with user-facing errors and exit codes.
 */
package org.retina.cli;
