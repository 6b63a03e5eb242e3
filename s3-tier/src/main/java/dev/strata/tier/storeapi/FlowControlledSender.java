package dev.strata.tier.storeapi;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends the messages of a server stream no faster than the client reads them: a {@code Series}
 * answer can be far larger than memory, and gRPC would otherwise buffer all of it. Blocks the
 * calling thread while the transport is not ready; stops with {@code CANCELLED} once the client
 * has gone.
 *
 * <p>It polls rather than waiting for gRPC's on-ready callback: that callback runs on the call's
 * serialized executor, the very thread the handler blocks, so it would never arrive.
 */
final class FlowControlledSender<T> implements Consumer<T> {
  private static final long MIN_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * Bytes gRPC may hold for the client before the stream counts as not ready. Its default, 32 KiB,
   * is about one series of a day: the sender would pause after nearly every frame. A few MiB keep
   * the connection busy while memory stays bounded per call.
   */
  static final int ON_READY_THRESHOLD = 4 << 20;

  private final ServerCallStreamObserver<T> call;

  FlowControlledSender(StreamObserver<T> observer) {
    this.call = (ServerCallStreamObserver<T>) observer;
    call.setOnReadyThreshold(ON_READY_THRESHOLD);
  }

  /**
   * Sends {@code message} once the transport takes it.
   *
   * @throws io.grpc.StatusRuntimeException {@code CANCELLED} if the client has gone
   */
  @Override
  public void accept(T message) {
    long pause = MIN_PAUSE_NANOS;
    while (!call.isReady()) {
      if (call.isCancelled()) {
        break;
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
    if (call.isCancelled()) {
      throw Status.CANCELLED.withDescription("the client cancelled the call").asRuntimeException();
    }
    call.onNext(message);
  }

  boolean cancelled() {
    return call.isCancelled();
  }
}
