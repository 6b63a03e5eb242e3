package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Iterator;
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
        .stream(request, (SeriesResponse r) -> served.add(
            ProtoLabels.fromProto(r.getSeries().getLabelsList())));

    List<Labels> expected = new ArrayList<>();
    for (Labels l : new TreeSet<>(series)) {
      Labels.Builder b = l.toBuilder();
      for (int i = 0; i < external.size(); i++) {
        b.set(external.name(i), external.value(i));
      }
      b.remove(replicas.toArray(String[]::new));
      expected.add(b.build());
    }
    expected.sort(null);
    assertEquals(expected, served);
    for (int i = 1; i < served.size(); i++) {
      assertTrue(served.get(i - 1).compareTo(served.get(i)) <= 0);
    }
    for (Labels l : served) {
      replicas.forEach(r -> assertFalse(l.has(r)));
    }
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

  private record ListQuerier(List<Labels> series, long minTime, long maxTime) implements Querier {
    @Override
    public SeriesSet select(LabelMatcher... matchers) {
      Iterator<Labels> it = matching(matchers).iterator();
      return new SeriesSet() {
        private Labels current;

        @Override
        public boolean next() {
          current = it.hasNext() ? it.next() : null;
          return current != null;
        }

        @Override
        public Series at() {
          Labels l = current;
          return new Series() {
            @Override
            public Labels labels() {
              return l;
            }

            @Override
            public SampleIterator samples() {
              return SampleIterator.EMPTY;
            }

            @Override
            public ChunkIterator chunks() {
              return new RemoteChunks(List.of());
            }
          };
        }
      };
    }

    @Override
    public List<String> labelNames(LabelMatcher... matchers) {
      TreeSet<String> names = new TreeSet<>();
      for (Labels l : matching(matchers)) {
        for (int i = 0; i < l.size(); i++) {
          names.add(l.name(i));
        }
      }
      return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, LabelMatcher... matchers) {
      TreeSet<String> values = new TreeSet<>();
      for (Labels l : matching(matchers)) {
        if (l.has(name)) {
          values.add(l.get(name));
        }
      }
      return new ArrayList<>(values);
    }

    @Override
    public void close() {}

    private TreeSet<Labels> matching(LabelMatcher... matchers) {
      TreeSet<Labels> out = new TreeSet<>();
      for (Labels l : series) {
        boolean all = true;
        for (LabelMatcher m : matchers) {
          all &= m.matches(l);
        }
        if (all) {
          out.add(l);
        }
      }
      return out;
    }
  }
}
