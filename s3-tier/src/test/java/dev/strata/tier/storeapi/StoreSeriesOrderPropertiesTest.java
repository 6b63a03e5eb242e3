package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random label sets, external labels and replica labels through the Series handler: the stream is
 * sorted by the labels it carries, the replica labels are gone, the external labels are set, and
 * every matching series is there once.
 */
class StoreSeriesOrderPropertiesTest {

  @Property(tries = 300)
  void servedSeriesAreSortedAndRelabelled(
      @ForAll("labelSets") List<Labels> series,
      @ForAll("externalLabels") Labels external,
      @ForAll("replicaLabels") Set<String> replicas) {
    SeriesRequest request =
        SeriesRequest.newBuilder()
            .setMinTime(0)
            .setMaxTime(1000)
            .addMatchers(ProtoMatchers.toProto(LabelMatcher.regex("__name__", ".+")))
            .addAllWithoutReplicaLabels(replicas)
            .build();
    List<Labels> served = new ArrayList<>();
    new SeriesStreamer(new ListSource(series, external))
        .stream(request, f -> served.add(
            ProtoLabels.fromProto(f.toResponse().getSeries().getLabelsList())));

    List<Labels> expected = new ArrayList<>();
    for (Labels l : new TreeSet<>(series)) {
      Labels.Builder b = l.toBuilder();
      for (int i = 0; i < external.size(); i++) {
        b.set(external.name(i), external.value(i));
      }
      b.remove(replicas.toArray(String[]::new));
      expected.add(b.build());
    }
    // Sorted, and series made equal by the external or replica labels sent once, merged.
    assertEquals(new ArrayList<>(new TreeSet<>(expected)), served);
    for (Labels l : served) {
      replicas.forEach(r -> assertFalse(l.has(r)));
    }
  }

  /**
   * Parts with their own external labels, each read in pieces that may hold the same series (a
   * series in several blocks of a producer): the stream is sorted across parts and pieces, and
   * series that are equal once served, wherever they come from, are sent once.
   */
  @Property(tries = 200)
  void seriesOfSeveralPartsAndPiecesAreSortedAcrossThem(
      @ForAll("parts") List<PiecesSource> parts,
      @ForAll("replicaLabels") Set<String> replicas) {
    SeriesRequest request =
        SeriesRequest.newBuilder()
            .setMinTime(0)
            .setMaxTime(1000)
            .addMatchers(ProtoMatchers.toProto(LabelMatcher.regex("__name__", ".+")))
            .addAllWithoutReplicaLabels(replicas)
            .build();
    List<Labels> served = new ArrayList<>();
    new SeriesStreamer(new PartsSource(parts))
        .stream(request, f -> served.add(
            ProtoLabels.fromProto(f.toResponse().getSeries().getLabelsList())));

    List<Labels> expected = new ArrayList<>();
    for (PiecesSource part : parts) {
      for (List<Labels> piece : part.pieces()) {
        for (Labels l : new TreeSet<>(piece)) {
          Labels.Builder b = l.toBuilder();
          part.externalLabels().forEach(b::set);
          b.remove(replicas.toArray(String[]::new));
          expected.add(b.build());
        }
      }
    }
    assertEquals(new ArrayList<>(new TreeSet<>(expected)), served);
  }

  @Provide
  Arbitrary<List<PiecesSource>> parts() {
    return Combinators.combine(labelSets().list().ofMinSize(1).ofMaxSize(3), externalLabels())
        .as((pieces, external) -> new PiecesSource(external, pieces))
        .list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<Labels>> labelSets() {
    Arbitrary<String> value = Arbitraries.of("0", "1", "2", "x", "é");
    Arbitrary<Labels> set =
        Combinators.combine(
                Arbitraries.of("up", "rate", "a"),
                value.injectNull(0.3),
                value.injectNull(0.3),
                value.injectNull(0.5),
                value.injectNull(0.5))
            .as(
                (name, a, b, replica, zone) -> {
                  Labels.Builder l = Labels.builder().set("__name__", name);
                  setIfPresent(l, "a", a);
                  setIfPresent(l, "b", b);
                  setIfPresent(l, "replica", replica);
                  setIfPresent(l, "zone", zone);
                  return l.build();
                });
    return set.list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<Labels> externalLabels() {
    Arbitrary<String> value = Arbitraries.of("0", "1", "eu");
    return Combinators.combine(value.injectNull(0.5), value.injectNull(0.5), value.injectNull(0.7))
        .as(
            (cluster, replica, a) -> {
              Labels.Builder l = Labels.builder();
              setIfPresent(l, "cluster", cluster);
              setIfPresent(l, "replica", replica);
              setIfPresent(l, "a", a);
              return l.build();
            });
  }

  @Provide
  Arbitrary<Set<String>> replicaLabels() {
    return Arbitraries.of("replica", "zone", "a", "cluster").set().ofMaxSize(2);
  }

  private static void setIfPresent(Labels.Builder b, String name, String value) {
    if (value != null) {
      b.set(name, value);
    }
  }

  /** A source over label sets without samples. */
  private record ListSource(List<Labels> series, Labels externalLabels) implements StoreSource {
    @Override
    public ComponentType componentType() {
      return ComponentType.SIDECAR;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 1000;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      return new ListQuerier(series, mint, maxt);
    }
  }

  /** A source of several parts. */
  private record PartsSource(List<PiecesSource> each) implements StoreSource {
    @Override
    public ComponentType componentType() {
      return ComponentType.STORE;
    }

    @Override
    public Labels externalLabels() {
      return Labels.EMPTY;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 1000;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      throw new UnsupportedOperationException("read through the parts");
    }

    @Override
    public List<StoreSource> parts() {
      return new ArrayList<>(each);
    }
  }

  /** One part, read in pieces, each a querier of its own. */
  record PiecesSource(Labels externalLabels, List<List<Labels>> pieces) implements StoreSource {
    @Override
    public ComponentType componentType() {
      return ComponentType.STORE;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 1000;
    }

    @Override
    public Querier querier(long mint, long maxt) {
      List<Labels> all = new ArrayList<>();
      pieces.forEach(all::addAll);
      return new ListQuerier(all, mint, maxt);
    }

    @Override
    public List<NamedQuerier> queriers(StoreQuery query) {
      List<NamedQuerier> out = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i++) {
        List<Labels> piece = pieces.get(i);
        out.add(new NamedQuerier("piece " + i,
            () -> new ListQuerier(piece, query.minTime(), query.maxTime())));
      }
      return out;
    }
  }
}
