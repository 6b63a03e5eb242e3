package dev.strata.tier.objstore;

import java.io.IOException;

/** The object a read asked for does not exist. */
public class ObjectNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ObjectNotFoundException(String bucket, String key) {
    super("object " + key + " does not exist in " + bucket);
    this.key = key;
  }

  /** The missing object's key. */
  public String key() {
    return key;
  }
}
