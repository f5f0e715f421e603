package org.simheat.viewer.testing;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log events of one logger while a test runs, caught by a log4j2 appender attached to it (and
 * detached on {@link #close}); each event as {@code LEVEL message}, the message formatted.
 */
public final class CapturedLog implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final AbstractAppender appender;

  private CapturedLog(Logger logger) {
    this.logger = logger;
    this.appender =
        new AbstractAppender(
            "captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts catching what the logger of that name logs (a class's name, for its {@code LOG}). */
  public static CapturedLog of(String loggerName) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    return new CapturedLog(context.getLogger(loggerName));
  }

  /** The events caught so far, oldest first, as {@code LEVEL message}. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Forgets the events caught so far. */
  public void clear() {
    lines.clear();
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
