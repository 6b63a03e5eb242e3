package dev.strata.promql;

/** A string expression; PromQL strings do not vary with time. */
record StringConstant(String value) implements Evaluated {}
