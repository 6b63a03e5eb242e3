/**
 * Thanos-compatible downsampling of blocks to 5 minute and 1 hour aggregates
 * (count, sum, min, max, counter), and aggregate-aware reads of downsampled blocks.
 */
package dev.strata.downsample;
