package dev.strata.tier.objstore;

import java.io.IOException;

/**
 * The bucket cannot be used at all: it does not exist, the credentials are wrong or lack a
 * permission, or the endpoint does not answer. Retrying does not help; the message says what to
 * check, and never contains a secret.
 */
public class BucketAccessException extends IOException {
  private static final long serialVersionUID = 1L;

  public BucketAccessException(String message) {
    super(message);
  }

  public BucketAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
