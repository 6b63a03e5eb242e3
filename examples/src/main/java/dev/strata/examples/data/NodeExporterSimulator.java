package dev.strata.examples.data;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fleet of hosts exposing node-exporter-like metrics, scraped every 15 s: CPU seconds per mode
 * and core, memory and filesystem gauges, network and disk counters, load averages. Values evolve
 * the way real ones do (counters only grow, gauges wander, a few series are constant), so that
 * compression and queries behave as on real data. Deterministic for a given seed.
 */
public final class NodeExporterSimulator {
  private static final String[] CPU_MODES = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};
  private static final String[] DEVICES = {"eth0", "lo"};
  private static final String[] DISKS = {"sda", "sdb"};
  private static final String[] MOUNTS = {"/", "/var", "/home"};

  private final List<Labels> series = new ArrayList<>();
  private final double[] values;
  private final double[] rates;
  private final byte[] kinds; // 0 counter, 1 gauge random walk, 2 constant
  private final SplittableRandom rnd;

  /** {@code hosts} hosts with 2 CPUs each; about 60 series per host. */
  public NodeExporterSimulator(int hosts, long seed) {
    rnd = new SplittableRandom(seed);
    List<double[]> init = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      String instance = String.format("node-%03d:9100", h);
      String region = h % 3 == 0 ? "eu-west" : (h % 3 == 1 ? "us-east" : "ap-south");
      for (int cpu = 0; cpu < 2; cpu++) {
        for (String mode : CPU_MODES) {
          double rate = mode.equals("idle") ? 0.7 : (mode.equals("user") ? 0.15 : 0.02);
          add(init, 0, rate * 15, Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(cpu),
              "instance", instance, "job", "node", "mode", mode, "region", region));
        }
      }
      double mem = 16L << 30;
      add(init, 2, mem, Labels.of("__name__", "node_memory_MemTotal_bytes", "instance", instance, "job", "node", "region", region));
      add(init, 1, mem * 0.6, Labels.of("__name__", "node_memory_MemAvailable_bytes", "instance", instance, "job", "node", "region", region));
      add(init, 1, mem * 0.2, Labels.of("__name__", "node_memory_Cached_bytes", "instance", instance, "job", "node", "region", region));
      for (String load : new String[] {"node_load1", "node_load5", "node_load15"}) {
        add(init, 1, 1.5, Labels.of("__name__", load, "instance", instance, "job", "node", "region", region));
      }
      for (String dev : DEVICES) {
        for (String dir : new String[] {"receive", "transmit"}) {
          add(init, 0, 2_000_000 + rnd.nextInt(500_000), Labels.of("__name__", "node_network_" + dir + "_bytes_total",
              "device", dev, "instance", instance, "job", "node", "region", region));
          add(init, 0, 1500 + rnd.nextInt(500), Labels.of("__name__", "node_network_" + dir + "_packets_total",
              "device", dev, "instance", instance, "job", "node", "region", region));
        }
      }
      for (String disk : DISKS) {
        add(init, 0, 400_000, Labels.of("__name__", "node_disk_read_bytes_total", "device", disk, "instance", instance, "job", "node", "region", region));
        add(init, 0, 900_000, Labels.of("__name__", "node_disk_written_bytes_total", "device", disk, "instance", instance, "job", "node", "region", region));
        add(init, 0, 30, Labels.of("__name__", "node_disk_io_time_seconds_total", "device", disk, "instance", instance, "job", "node", "region", region));
      }
      for (String mount : MOUNTS) {
        double size = 500L << 30;
        add(init, 2, size, Labels.of("__name__", "node_filesystem_size_bytes", "instance", instance, "job", "node", "mountpoint", mount, "region", region));
        add(init, 1, size * 0.4, Labels.of("__name__", "node_filesystem_avail_bytes", "instance", instance, "job", "node", "mountpoint", mount, "region", region));
      }
      add(init, 2, 1, Labels.of("__name__", "up", "instance", instance, "job", "node", "region", region));
      add(init, 1, 300, Labels.of("__name__", "node_procs_running", "instance", instance, "job", "node", "region", region));
    }
    values = new double[series.size()];
    rates = new double[series.size()];
    kinds = new byte[series.size()];
    for (int i = 0; i < series.size(); i++) {
      kinds[i] = (byte) init.get(i)[0];
      rates[i] = init.get(i)[1];
      values[i] = kinds[i] == 0 ? rnd.nextInt(1_000_000) : init.get(i)[1];
    }
  }

  private void add(List<double[]> init, int kind, double value, Labels labels) {
    series.add(labels);
    init.add(new double[] {kind, value});
  }

  /** The simulated series. */
  public List<Labels> series() {
    return series;
  }

  /** Advances every series by one scrape; {@link #value(int)} then gives the new values. */
  public void scrape() {
    for (int i = 0; i < values.length; i++) {
      switch (kinds[i]) {
        case 0 -> values[i] = Math.round((values[i] + rates[i] * (0.5 + rnd.nextDouble())) * 100) / 100.0;
        case 1 -> values[i] = Math.max(0, Math.round(values[i] * (1 + (rnd.nextDouble() - 0.5) * 0.01)));
        default -> {}
      }
    }
  }

  public double value(int i) {
    return values[i];
  }
}
