/**
 * PromQL's syntax: the syntax tree ({@link dev.strata.promql.parser.Expr} and its records), the
 * parser ({@link dev.strata.promql.parser.PromqlParser}) and the printer ({@link
 * dev.strata.promql.parser.Printer}), all matching Prometheus 2.42: what parses there parses here to
 * the same tree, what fails there fails here with the same message, and a tree prints as Prometheus
 * prints it.
 */
package dev.strata.promql.parser;
