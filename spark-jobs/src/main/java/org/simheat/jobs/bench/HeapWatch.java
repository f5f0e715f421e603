package org.simheat.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap while a benchmark runs: the largest heap in use seen by a sampler every
 * 20 ms (garbage included), and the largest heap still in use right after a garbage collection,
 * which is what the work really held. Driver and executors share the heap in local mode.
 */
public final class HeapWatch implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 20;

  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Set<String> heapPools;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;
  private final Thread sampler;
  private volatile boolean running = true;

  /** Starts watching. */
  public HeapWatch() {
    heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    sampler =
        new Thread(
            () -> {
              while (running) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void onGc(Notification n, Object handback) {
    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    peakAfterGc.accumulateAndGet(used, Math::max);
  }

  /** Largest heap in use sampled so far, in bytes. */
  public long peakUsed() {
    return peakUsed.get();
  }

  /** Largest heap in use right after a collection so far, in bytes (0 if none ran). */
  public long peakAfterGc() {
    return peakAfterGc.get();
  }

  /** The heap's limit (-Xmx), in bytes. */
  public static long max() {
    MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return u.getMax() > 0 ? u.getMax() : Runtime.getRuntime().maxMemory();
  }

  /** Stops the sampler and the GC listener. */
  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // Already gone: nothing to remove.
      }
    }
  }
}
