package dev.strata.tier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an HTTP server that breaks requests on purpose: it drops connections
 * (with a reset) before, during or after a request, delays them, or answers 503 SlowDown itself.
 * A {@link Plan} decides per request. The proxy forwards each request with {@code Connection:
 * close}, so every request has its own connection and a fault hits exactly one request.
 *
 * <p>Listens on 127.0.0.1 only; stops with {@link #close()}.
 */
public final class FaultProxy implements AutoCloseable {

  /** What happens to one request. */
  public enum Fault {
    PASS,
    /** The connection is reset as soon as the request head arrives. */
    DROP_BEFORE,
    /** Half of the request body is forwarded, then both connections are reset. */
    DROP_MID_REQUEST,
    /** The request is forwarded; the response is cut after its first 8 KiB. */
    DROP_MID_RESPONSE,
    /** The proxy answers 503 SlowDown without forwarding. */
    SLOW_DOWN,
    /** The request waits {@link FaultProxy#delay} before it is forwarded. */
    DELAY
  }

  /** A request as the proxy sees it; {@code number} counts from 0 across the proxy's life. */
  public record Request(int number, String method, String target) {}

  /** Chooses the fault for each request; called from the proxy's threads. */
  @FunctionalInterface
  public interface Plan {
    Fault decide(Request request);
  }

  private static final int RESPONSE_CUT = 8 << 10;

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger faults = new AtomicInteger();
  private final List<Request> log = new ArrayList<>();
  private volatile Plan plan = r -> Fault.PASS;
  private volatile Duration delay = Duration.ofMillis(200);
  private volatile boolean closed;

  public FaultProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public FaultProxy plan(Plan value) {
    this.plan = value;
    return this;
  }

  public FaultProxy delay(Duration value) {
    this.delay = value;
    return this;
  }

  /** Requests seen so far. */
  public int requests() {
    return requests.get();
  }

  /** Requests that were not passed through untouched. */
  public int faults() {
    return faults.get();
  }

  public synchronized List<Request> log() {
    return List.copyOf(log);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          throw new IllegalStateException("fault proxy accept failed", e);
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String[] lines = text.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      long contentLength = 0;
      boolean expectContinue = false;
      StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        if (line.isEmpty()) {
          continue;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          contentLength = Long.parseLong(line.substring(15).trim());
        } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
          expectContinue = true;
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          throw new IllegalStateException("the fault proxy does not handle chunked requests");
        }
        if (!lower.startsWith("connection:")) {
          forwarded.append(line).append("\r\n");
        }
      }
      forwarded.append("Connection: close\r\n\r\n");
      Request request = new Request(requests.getAndIncrement(), requestLine[0],
          requestLine.length > 1 ? requestLine[1] : "");
      Fault fault = plan.decide(request);
      synchronized (this) {
        log.add(request);
      }
      if (fault != Fault.PASS) {
        faults.incrementAndGet();
      }
      switch (fault) {
        case DROP_BEFORE -> {
          reset(client);
          return;
        }
        case SLOW_DOWN -> {
          if (!expectContinue) {
            in.skipNBytes(contentLength);
          }
          String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
              + "<Message>Please reduce your request rate.</Message></Error>";
          String response = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
              + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
          client.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
          client.getOutputStream().flush();
          return;
        }
        case DELAY -> Thread.sleep(delay.toMillis());
        default -> {}
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        OutputStream up = upstream.getOutputStream();
        up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        up.flush();
        long toForward = fault == Fault.DROP_MID_REQUEST ? contentLength / 2 : contentLength;
        // Body upstream on one thread, response back on this one (100-continue needs both).
        var body = threads.submit(() -> {
          copy(in, up, toForward);
          up.flush();
          return null;
        });
        if (fault == Fault.DROP_MID_REQUEST) {
          body.get(30, TimeUnit.SECONDS);
          reset(upstream);
          reset(client);
          return;
        }
        long limit = fault == Fault.DROP_MID_RESPONSE ? RESPONSE_CUT : Long.MAX_VALUE;
        long sent = copy(upstream.getInputStream(), client.getOutputStream(), limit);
        client.getOutputStream().flush();
        if (fault == Fault.DROP_MID_RESPONSE && sent >= limit) {
          reset(client);
        }
        body.cancel(true);
      }
    } catch (Exception e) {
      // a client or server that went away: nothing to report
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      buf.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return buf.toByteArray();
  }

  private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[16 << 10];
    long total = 0;
    while (total < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
