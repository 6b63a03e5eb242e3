package dev.strata.tier.storeapi;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends the messages of a server stream no faster than the client reads them: a {@code Series}
 * answer can be far larger than memory, and gRPC would otherwise buffer all of it. Blocks the
 * calling thread while the transport is not ready; stops with {@code CANCELLED} once the client
 * has gone.
 */
final class FlowControlledSender<T> implements Consumer<T> {
  private final ServerCallStreamObserver<T> call;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readyOrCancelled = lock.newCondition();
  private volatile boolean cancelled;

  FlowControlledSender(StreamObserver<T> observer) {
    this.call = (ServerCallStreamObserver<T>) observer;
    call.setOnReadyHandler(this::wake);
    call.setOnCancelHandler(
        () -> {
          cancelled = true;
          wake();
        });
  }

  /**
   * Sends {@code message} once the transport takes it.
   *
   * @throws io.grpc.StatusRuntimeException {@code CANCELLED} if the client has gone
   */
  @Override
  public void accept(T message) {
    lock.lock();
    try {
      while (!call.isReady() && !cancelled) {
        readyOrCancelled.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
    if (cancelled) {
      throw Status.CANCELLED.withDescription("the client cancelled the call").asRuntimeException();
    }
    call.onNext(message);
  }

  boolean cancelled() {
    return cancelled;
  }

  private void wake() {
    lock.lock();
    try {
      readyOrCancelled.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
