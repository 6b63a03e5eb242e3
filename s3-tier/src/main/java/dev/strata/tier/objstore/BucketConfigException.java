package dev.strata.tier.objstore;

import java.io.IOException;

/** An object storage configuration that cannot be used as written; the message names the field. */
public class BucketConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  public BucketConfigException(String message) {
    super(message);
  }

  public BucketConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
