package dev.strata.examples.server;

import picocli.CommandLine.Option;

/**
 * {@code --log.level}, as Prometheus and Thanos name it. Set while the command line is parsed, so
 * that it holds before the first logger is made: a command class must not make its logger when it
 * loads (picocli loads them all before parsing), only in {@code call()}.
 */
public final class LoggingOptions {
  public enum Level { debug, info, warn, error }

  @Option(names = "--log.level", paramLabel = "LEVEL", defaultValue = "info",
      description = "Only log messages with the given severity or above: debug, info, warn, error (default ${DEFAULT-VALUE}).")
  void level(Level level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.name());
  }
}
