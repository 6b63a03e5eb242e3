package dev.strata.tier.storeapi;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.store.BucketCaches;
import dev.strata.tier.store.BucketStore;
import dev.strata.tier.store.BucketStoreOptions;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.info.InfoGrpc;
import dev.strata.tier.storeapi.proto.info.InfoRequest;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link BucketStore} over a bucket, synced, served by a StoreAPI server on a loopback port,
 * with a channel to it; for the tests of {@link BucketStoreSource}.
 */
final class BucketServer implements AutoCloseable {
  final BucketStore store;
  final StoreApiServer server;
  final String target;
  final ManagedChannel channel;

  private BucketServer(BucketStore store, StoreApiServer server) {
    this.store = store;
    this.server = server;
    this.target = "127.0.0.1:" + server.port();
    this.channel = NettyChannelBuilder.forTarget(target).usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE).build();
  }

  /** Serves {@code bucket} with its index headers under {@code localDir}; no caches. */
  static BucketServer start(Bucket bucket, Path localDir, Duration deletionMarkDelay)
      throws IOException {
    BucketStore store = BucketStore.open(bucket, BucketStoreOptions.builder(localDir)
        .caches(BucketCaches.none()).seriesBatch(3).ignoreDeletionMarksDelay(deletionMarkDelay)
        .build());
    store.sync();
    return new BucketServer(store,
        StoreServer.start(new InetSocketAddress("127.0.0.1", 0), new BucketStoreSource(store)));
  }

  /** Every frame of the answer to {@code request}. */
  List<SeriesResponse> frames(SeriesRequest request) {
    List<SeriesResponse> out = new ArrayList<>();
    StoreGrpc.newBlockingStub(channel).series(request).forEachRemaining(out::add);
    return out;
  }

  /** The served series and their chunks (frames of one series joined), in stream order. */
  Map<Labels, List<AggrChunk>> series(SeriesRequest request) {
    Map<Labels, List<AggrChunk>> out = new LinkedHashMap<>();
    for (SeriesResponse f : frames(request)) {
      if (f.hasSeries()) {
        out.computeIfAbsent(ProtoLabels.fromProto(f.getSeries().getLabelsList()),
            l -> new ArrayList<>()).addAll(f.getSeries().getChunksList());
      }
    }
    return out;
  }

  InfoResponse info() {
    return InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
  }

  /** The server's {@code host:port}. */
  String target() {
    return target;
  }

  StoreClient client(long mint, long maxt) {
    return StoreClient.connect(target, mint, maxt);
  }

  static SeriesRequest.Builder request(long mint, long maxt, LabelMatcher... matchers) {
    return SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt)
        .addAllMatchers(ProtoMatchers.toProto(matchers));
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.close();
    store.close();
  }
}
