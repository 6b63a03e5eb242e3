package dev.strata.tier.objstore;

/** Checks object keys, so that every bucket accepts the same keys and a key cannot escape a root. */
final class Keys {
  private Keys() {}

  /**
   * @throws IllegalArgumentException if {@code key} is empty, starts or ends with {@code /}, has
   *     an empty, {@code .} or {@code ..} segment, or holds a backslash or NUL
   */
  static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("object key \"" + key + "\" starts or ends with /");
    }
    if (key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("object key \"" + key + "\" holds \\ or NUL");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "object key \"" + key + "\" has an empty, . or .. segment");
      }
    }
    return key;
  }

  /** Checks a listing prefix: empty, or a key prefix that may end with {@code /}. */
  static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix is null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (body.isEmpty()) {
      throw new IllegalArgumentException("prefix \"/\" is not a key prefix");
    }
    if (body.startsWith("/") || body.contains("//") || body.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("prefix \"" + prefix + "\" is not a key prefix");
    }
    return prefix;
  }

  static int checkPageSize(int maxKeys) {
    if (maxKeys < 1 || maxKeys > Bucket.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "page size " + maxKeys + " is outside [1, " + Bucket.MAX_PAGE_SIZE + "]");
    }
    return maxKeys;
  }
}
