package dev.strata.examples.server;

/**
 * A {@code host:port} to listen on, as Prometheus and Thanos take it: {@code :9090} and
 * {@code 0.0.0.0:9090} listen on every interface, {@code 127.0.0.1:0} on a free loopback port.
 */
public record ListenAddress(String host, int port) {
  public ListenAddress {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /** Parses {@code host:port}, {@code :port} or {@code [v6]:port}; a clear error otherwise. */
  public static ListenAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("'" + text + "' is not host:port (e.g. 127.0.0.1:9090 or :9090)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no port number after the colon");
    }
    return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  /** picocli's side of {@link #parse}. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
