package org.simheat.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into a request to stop, for a command that wants to end its work cleanly
 * and exit 0 rather than be torn down by the JVM's shutdown (which would stop Spark under a running
 * compute). Closing it puts the previous handlers back.
 */
final class StopSignals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> NAMES = List.of("TERM", "INT");

  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private StopSignals() {}

  /** Calls {@code onSignal} with the signal's name (TERM, INT) each time one arrives. */
  static StopSignals install(Consumer<String> onSignal) {
    StopSignals s = new StopSignals();
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        SignalHandler old = Signal.handle(signal, sig -> onSignal.accept(sig.getName()));
        s.signals.add(signal);
        s.previous.add(old);
      } catch (IllegalArgumentException e) {
        LOG.warn("Cannot handle SIG{} here ({}): it stops the JVM at once", name, e.getMessage());
      }
    }
    return s;
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
