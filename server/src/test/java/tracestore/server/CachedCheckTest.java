package tracestore.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedCheckTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicReference<String> failWith = new AtomicReference<>();

  private CachedCheck check() {
    return new CachedCheck(
        () -> {
          runs.incrementAndGet();
          String message = failWith.get();
          if (message != null) throw new IllegalStateException(message);
        },
        100,
        now::get);
  }

  @Test
  void checksOncePerPeriodAndKeepsTheOutcome() {
    CachedCheck c = check();
    assertNull(c.run());
    now.addAndGet(99);
    failWith.set("database down");
    assertNull(c.run(), "a result younger than the period is reused");
    assertEquals(1, runs.get());
    now.addAndGet(1);
    assertEquals("database down", c.run());
    assertEquals("database down", c.run(), "a failure is cached as well");
    assertEquals(2, runs.get());
    failWith.set(null);
    now.addAndGet(100);
    assertNull(c.run(), "recovers once the period is over");
    assertEquals(3, runs.get());
  }

  @Test
  void concurrentCallersShareTheCheckInFlight() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CachedCheck c =
        new CachedCheck(
            () -> {
              runs.incrementAndGet();
              entered.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            1_000_000_000L,
            System::nanoTime);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      results.add(pool.submit(c::run));
      entered.await(10, TimeUnit.SECONDS);
      for (int i = 0; i < 7; i++) results.add(pool.submit(c::run));
      release.countDown();
      for (Future<String> f : results) assertNull(f.get(10, TimeUnit.SECONDS));
      assertEquals(1, runs.get(), "eight probes, one check");
    } finally {
      pool.shutdownNow();
    }
  }
}
