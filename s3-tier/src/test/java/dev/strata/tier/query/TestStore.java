package dev.strata.tier.query;

import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.StoreServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.testing.SeriesRequestRecorder;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small embedded Tsdb served by a real Strata StoreAPI server on a loopback port, recording the
 * {@code Series} requests it receives. It can be stopped and started again on the same port.
 */
final class TestStore implements AutoCloseable {
  final Tsdb db;
  final Labels external;
  final List<SeriesRequest> seriesRequests = new CopyOnWriteArrayList<>();
  private final boolean infoService;
  private int port;
  private Runnable server; // stops it

  private TestStore(Tsdb db, Labels external, boolean infoService) {
    this.db = db;
    this.external = external;
    this.infoService = infoService;
  }

  /**
   * A store over {@code series} series scraped every minute over {@code [start, end)}.
   *
   * @param infoService false for a server without {@code thanos.info.Info}, as older components
   */
  static TestStore start(Path dir, Labels external, int series, long start, long end, long seed,
      boolean infoService) throws IOException {
    Tsdb db = TestTsdb.open(dir);
    TestTsdb.fill(db, series, 5, start, end, 60_000, seed);
    TestStore s = new TestStore(db, external, infoService);
    s.startServer(0);
    return s;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** Stops serving (the data stays). */
  void stop() {
    if (server != null) {
      server.run();
      server = null;
    }
  }

  /** Serves again on the same port, waiting a few seconds for the port if need be. */
  void restart() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        startServer(port);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * What the Tsdb itself holds in the range, with the external labels set (they win over the
   * series' own), of the series whose labels so served match {@code matchers}.
   */
  Map<Labels, TreeMap<Long, Double>> direct(long mint, long maxt, LabelMatcher... matchers) {
    List<LabelMatcher> local = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      if (!external.has(m.name())) {
        local.add(m);
      }
    }
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    try (Querier q = db.querier(mint, maxt)) {
      TestTsdb.read(q, local.toArray(LabelMatcher[]::new)).forEach((l, samples) -> {
        Labels.Builder b = l.toBuilder();
        for (int i = 0; i < external.size(); i++) {
          b.set(external.name(i), external.value(i));
        }
        Labels served = b.build();
        for (LabelMatcher m : matchers) {
          if (!m.matches(served)) {
            return;
          }
        }
        out.put(served, samples);
      });
    }
    return out;
  }

  private void startServer(int onPort) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", onPort);
    TsdbStoreSource source = new TsdbStoreSource(db, external);
    SeriesRequestRecorder recorder = new SeriesRequestRecorder(seriesRequests);
    if (infoService) {
      StoreApiServer s = StoreApiServer.builder(address, source).intercept(recorder).start();
      port = s.port();
      server = s::close;
      return;
    }
    Server s = NettyServerBuilder.forAddress(address)
        .addService(ServerInterceptors.intercept(new StoreServer(source), recorder))
        .build()
        .start();
    port = s.getPort();
    server = () -> {
      try {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public void close() throws IOException {
    stop();
    db.close();
  }
}
