/**
 * Object-storage tier: buckets (filesystem and S3) in the Thanos layout, the shipper that uploads
 * blocks, and lazy block reads with ranged requests.
 */
package dev.strata.tier;
