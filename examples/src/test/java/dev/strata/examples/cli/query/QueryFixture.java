package dev.strata.examples.cli.query;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.storeapi.TsdbStoreSource;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.testing.SeriesRequestRecorder;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.testing.ChildJvm;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the tests of {@code strata query} run against: Strata StoreAPI servers in this JVM, each
 * over a small database, listed in a file_sd file, and {@code strata query} child processes over
 * them. Every store records the {@code Series} requests it receives.
 */
final class QueryFixture implements AutoCloseable {
  static final long T0 = 1_700_000_000_000L; // ms
  static final long STEP = 15_000;
  static final int SAMPLES = 80; // 20 minutes

  private final Path tmp;
  private final Path sdFile;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final Map<StoreApiServer, Tsdb> servedDbs = new HashMap<>();
  private final List<SeriesRequest> seriesRequests = new CopyOnWriteArrayList<>();
  private int queriers;

  QueryFixture(Path tmp) {
    this.tmp = tmp;
    this.sdFile = tmp.resolve("targets.yml");
  }

  /**
   * A counter sampled every 15 s from T0 for 20 minutes, its value the sample's index, from the
   * sample {@code first} on, served with {@code {cluster, replica}}; with {@code gap}, minutes 5 to
   * 15 are missing. With {@code failing} set, the store fails every call but Info.
   */
  StoreApiServer store(String dir, String cluster, String replica, String metric, int first,
      boolean gap, AtomicBoolean failing) throws Exception {
    Tsdb db = TestTsdb.open(tmp.resolve(dir));
    opened.add(db);
    Appender app = db.appender();
    for (int i = first; i < SAMPLES; i++) {
      if (!gap || i < 20 || i >= 60) {
        app.append(Labels.of("__name__", metric, "job", "api"), T0 + i * STEP, i);
      }
    }
    app.commit();
    return serve(db, 0, Labels.of("cluster", cluster, "replica", replica), failing);
  }

  /** Serves {@code db} on {@code port} (0: any free one). */
  StoreApiServer serve(Tsdb db, int port, Labels external, AtomicBoolean failing)
      throws Exception {
    StoreApiServer.Builder server = StoreApiServer.builder(
        new InetSocketAddress("127.0.0.1", port), new TsdbStoreSource(db, external));
    server.intercept(new SeriesRequestRecorder(seriesRequests));
    if (failing != null) {
      server.intercept(failingWhen(failing));
    }
    StoreApiServer s = server.start();
    opened.add(s);
    servedDbs.put(s, db);
    return s;
  }

  /** The database {@code store} serves. */
  Tsdb db(StoreApiServer store) {
    return servedDbs.get(store);
  }

  /** Stops serving {@code store}; its database stays open. */
  void stop(StoreApiServer store) throws Exception {
    store.close();
    opened.remove(store);
  }

  /** The {@code Series} requests the stores received, oldest first. */
  List<SeriesRequest> seriesRequests() {
    return List.copyOf(seriesRequests);
  }

  void clearSeriesRequests() {
    seriesRequests.clear();
  }

  Path sdFile() {
    return sdFile;
  }

  /** Lists exactly {@code servers} in the file_sd file, replacing it at once. */
  void writeTargets(StoreApiServer... servers) throws Exception {
    StringBuilder yaml = new StringBuilder("- targets:\n");
    for (StoreApiServer s : servers) {
      yaml.append("  - '").append(address(s)).append("'\n");
    }
    Path next = tmp.resolve("targets.yml.tmp");
    Files.writeString(next, yaml);
    Files.move(next, sdFile, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * {@code strata query} over the file_sd file with {@code flags} besides the addresses; its URL
   * includes {@code routePrefix}, the path its API is expected under.
   */
  QuerierProcess startQuerier(String routePrefix, String... flags) throws Exception {
    int n = ++queriers;
    List<String> args = new ArrayList<>(List.of("query", "--http-address=127.0.0.1:0",
        "--grpc-address=127.0.0.1:0", "--store.sd-files=" + sdFile));
    args.addAll(List.of(flags));
    ServerProcess process = ServerProcess.start("strata query " + n, ChildJvm.command(
        tmp.resolve("child-tmp-" + n), StrataCommand.class, args.toArray(String[]::new)),
        tmp.resolve("query-" + n + ".log"));
    opened.add(process);
    return new QuerierProcess(process, "http://127.0.0.1:" + process.awaitPort("strata query: "),
        routePrefix, process.awaitGrpcPort("strata query: "));
  }

  static String address(StoreApiServer s) {
    return "127.0.0.1:" + s.port();
  }

  /** Milliseconds as the API's seconds. */
  static String seconds(long ms) {
    return Double.toString(ms / 1000.0);
  }

  /** Stops the queriers, then the stores and their databases. */
  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  private static ServerInterceptor failingWhen(AtomicBoolean failing) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (failing.get() && method.startsWith("thanos.Store/") && !method.endsWith("/Info")) {
          call.close(Status.UNAVAILABLE.withDescription("data away for the test"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }
}
