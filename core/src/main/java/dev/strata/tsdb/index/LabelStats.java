package dev.strata.tsdb.index;

/**
 * What the index says about one label name without reading series: how many values it has, how
 * many series refs its postings lists hold in total (the number of series with the label), and
 * the bytes those lists take in the file. The figures {@code promtool tsdb analyze} ranks labels
 * by.
 */
public record LabelStats(String name, int values, long series, long postingsBytes) {}
