package dev.strata.tier.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StoreAPI endpoints a querier reads from, kept up to date as {@code thanos query} keeps them:
 * the static ones ({@code --endpoint}) and those a {@link FileSd} lists
 * ({@code --store.sd-files}), each asked every 5 s what it is ({@code thanos.info.Info/Info},
 * falling back to {@code thanos.Store/Info}).
 *
 * <ul>
 *   <li>A new endpoint is added once it answers, and asked again every round until it does.
 *   <li>An endpoint whose check fails is unhealthy: it keeps what it last announced, records the
 *       error, is no longer queried, and is checked again every round; it is dropped when it has
 *       not answered for the {@linkplain Builder#unhealthyTimeout unhealthy timeout}.
 *   <li>An endpoint no longer listed is dropped, its connection closed.
 *   <li>A {@linkplain Builder#strictEndpoint strict} endpoint is always kept and queried.
 * </ul>
 *
 * <pre>{@code
 * try (EndpointSet endpoints = EndpointSet.builder()
 *     .endpoint("sidecar:10901")
 *     .fileSd(FileSd.builder().file(Path.of("targets.yml")).start())
 *     .start()) {
 *   List<EndpointStatus> stores = endpoints.stores();
 * }
 * }</pre>
 */
public final class EndpointSet implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** Thanos's hidden {@code --endpoint.info-timeout} default. */
  public static final Duration DEFAULT_INFO_TIMEOUT = Duration.ofSeconds(5);
  /** Thanos's {@code --store.unhealthy-timeout} default. */
  public static final Duration DEFAULT_UNHEALTHY_TIMEOUT = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(EndpointSet.class);

  private final Map<String, Boolean> staticEndpoints; // address -> strict
  private final FileSd fileSd;
  private final Duration infoTimeout;
  private final Duration unhealthyTimeout;
  private final ScheduledExecutorService poller;
  private final ExecutorService workers;
  private final Object updateLock = new Object();

  // Guarded by `this`.
  private final Map<String, Endpoint> endpoints = new TreeMap<>();
  /** Every endpoint connected and not yet closed, listed or not: all closed with the set. */
  private final Set<Endpoint> connected = new HashSet<>();
  private boolean closed;

  private EndpointSet(Builder b) {
    this.staticEndpoints = new LinkedHashMap<>(b.staticEndpoints);
    this.fileSd = b.fileSd;
    this.infoTimeout = b.infoTimeout;
    this.unhealthyTimeout = b.unhealthyTimeout;
    this.poller = Executors.newSingleThreadScheduledExecutor(threads("strata-endpoints-poll"));
    this.workers = Executors.newCachedThreadPool(threads("strata-endpoints"));
    poller.scheduleWithFixedDelay(this::updateQuietly, 0, b.interval.toMillis(),
        TimeUnit.MILLISECONDS);
    if (fileSd != null) {
      // A change of the files is acted on at once rather than at the next round.
      fileSd.addListener(() -> {
        try {
          poller.execute(this::updateQuietly);
        } catch (RejectedExecutionException closing) {
          // The set is closing: nothing to update.
        }
      });
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks every endpoint now, adding the new ones that answer and dropping those no longer
   * listed or unhealthy for too long; returns when done. The set does this on its own every
   * interval; call it to have an up-to-date view at once.
   */
  public void update() {
    synchronized (updateLock) {
      Map<String, Boolean> specs = new LinkedHashMap<>();
      if (fileSd != null) {
        fileSd.targets().forEach(t -> specs.put(t, false));
      }
      specs.putAll(staticEndpoints);
      Map<String, Endpoint> existing;
      synchronized (this) {
        if (closed) {
          return;
        }
        existing = new TreeMap<>(endpoints);
      }
      List<Callable<Endpoint>> checks = new ArrayList<>();
      specs.forEach((address, strict) -> {
        Endpoint known = existing.get(address);
        checks.add(() -> {
          Endpoint e = known != null ? known : connect(address, strict);
          if (e != null) {
            e.check(infoTimeout);
          }
          return e;
        });
      });
      Map<String, Endpoint> added = new TreeMap<>();
      try {
        List<Future<Endpoint>> results;
        try {
          results = workers.invokeAll(checks);
        } catch (RejectedExecutionException e) {
          return; // closed meanwhile
        }
        for (Future<Endpoint> f : results) {
          Endpoint e = result(f);
          if (e == null || existing.containsKey(e.address())) {
            continue;
          }
          if (e.queryable()) {
            added.put(e.address(), e);
          } else {
            log.debug("endpoint {} not added: {}", e.address(), e.status().lastError().orElse(""));
            release(e);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        added.values().forEach(this::release);
        return;
      }
      long now = System.nanoTime();
      List<Endpoint> dropped = new ArrayList<>();
      synchronized (this) {
        if (closed) {
          return; // every endpoint connected was closed with the set
        }
        for (Endpoint e : existing.values()) {
          if (!specs.containsKey(e.address()) || e.timedOut(unhealthyTimeout, now)) {
            endpoints.remove(e.address());
            dropped.add(e);
          }
        }
        endpoints.putAll(added);
      }
      added.values().forEach(e -> log.info("added endpoint {} ({})", e.address(),
          e.status().componentType()));
      for (Endpoint e : dropped) {
        log.info("removing endpoint {}: it is unhealthy or no longer listed", e.address());
        release(e);
      }
    }
  }

  /** Every endpoint known, by address: what it last announced, and whether it is healthy. */
  public synchronized List<EndpointStatus> statuses() {
    List<EndpointStatus> out = new ArrayList<>(endpoints.size());
    endpoints.values().forEach(e -> out.add(e.status()));
    return out;
  }

  /** The endpoints a query is sent to now: those with a StoreAPI that are queryable, by address. */
  public List<EndpointStatus> stores() {
    List<EndpointStatus> out = new ArrayList<>();
    queryableStores().forEach(e -> out.add(e.status()));
    return out;
  }

  synchronized List<Endpoint> queryableStores() {
    List<Endpoint> out = new ArrayList<>();
    for (Endpoint e : endpoints.values()) {
      if (e.queryable() && e.hasStoreApi()) {
        out.add(e);
      }
    }
    return out;
  }

  /** Threads for calls to the endpoints. */
  ExecutorService workers() {
    return workers;
  }

  /** Stops checking, closes every connection, and closes the {@link FileSd} given to it. */
  @Override
  public void close() {
    List<Endpoint> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(connected);
      connected.clear();
      endpoints.clear();
    }
    if (fileSd != null) {
      fileSd.close();
    }
    poller.shutdownNow();
    all.forEach(Endpoint::close);
    workers.shutdown();
  }

  /** A new endpoint's connection, or null once the set is closed. */
  private synchronized Endpoint connect(String address, boolean strict) {
    if (closed) {
      return null;
    }
    Endpoint e = Endpoint.connect(address, strict);
    connected.add(e);
    return e;
  }

  private void release(Endpoint e) {
    synchronized (this) {
      connected.remove(e);
    }
    e.close();
  }

  private void updateQuietly() {
    try {
      update();
    } catch (RuntimeException e) {
      log.warn("updating the endpoints failed", e);
    }
  }

  private static Endpoint result(Future<Endpoint> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      log.warn("checking an endpoint failed", e.getCause());
      return null;
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The endpoints and how they are checked. */
  public static final class Builder {
    private final Map<String, Boolean> staticEndpoints = new LinkedHashMap<>();
    private FileSd fileSd;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration infoTimeout = DEFAULT_INFO_TIMEOUT;
    private Duration unhealthyTimeout = DEFAULT_UNHEALTHY_TIMEOUT;

    private Builder() {}

    /** A static endpoint, {@code host:port} ({@code --endpoint}). */
    public Builder endpoint(String address) {
      staticEndpoints.putIfAbsent(checkAddress(address), false);
      return this;
    }

    /**
     * A static endpoint that is always queried, even when it does not answer {@code Info}, and
     * never dropped ({@code --endpoint-strict}).
     */
    public Builder strictEndpoint(String address) {
      staticEndpoints.put(checkAddress(address), true);
      return this;
    }

    /** Endpoints listed in files ({@code --store.sd-files}); the set closes it when closed. */
    public Builder fileSd(FileSd fileSd) {
      this.fileSd = Objects.requireNonNull(fileSd, "fileSd");
      return this;
    }

    /** How often every endpoint is checked (5 s by default). */
    public Builder interval(Duration value) {
      this.interval = positive(value, "interval");
      return this;
    }

    /** How long a check may take ({@code --endpoint.info-timeout}, 5 s by default). */
    public Builder infoTimeout(Duration value) {
      this.infoTimeout = positive(value, "info timeout");
      return this;
    }

    /**
     * How long an endpoint may fail its checks before it is dropped
     * ({@code --store.unhealthy-timeout}, 5 minutes by default).
     */
    public Builder unhealthyTimeout(Duration value) {
      this.unhealthyTimeout = positive(value, "unhealthy timeout");
      return this;
    }

    /** Starts checking the endpoints, the first round at once (in the background). */
    public EndpointSet start() {
      return new EndpointSet(this);
    }

    private static String checkAddress(String address) {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("endpoint address is empty");
      }
      return address.trim();
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
