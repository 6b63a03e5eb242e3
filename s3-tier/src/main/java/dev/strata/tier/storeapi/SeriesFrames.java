package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The frames of one {@code Series} call, read as an iterator. The frames are taken off the
 * transport where they arrive (no executor in between) and asked for many at a time, so that an
 * endpoint streams without waiting for the reader. gRPC's blocking stub asks for one frame at a
 * time and hands each over through a thread of its own: with a series per frame, that cost a few
 * thread switches per series, most of an instant query's time over a loaded machine.
 *
 * <p>At most {@link #WINDOW} frames are held ahead of the reader. The call is cancelled with the
 * gRPC context current when it starts. {@link #hasNext()} throws the call's failure as a {@link
 * io.grpc.StatusRuntimeException}, as the blocking stub does.
 */
final class SeriesFrames implements Iterator<SeriesResponse> {
  /** Frames asked for ahead of the reader; more are asked for when half of them were read. */
  static final int WINDOW = 64;

  private static final Object END = new Object();

  private final ClientCall<SeriesRequest, SeriesResponse> call;
  private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private Object next;
  private int readSinceRequest;
  private Status failure;

  private SeriesFrames(Channel channel, CallOptions options) {
    this.call = channel.newCall(StoreGrpc.getSeriesMethod(),
        options.withExecutor(Runnable::run));
  }

  /** Starts the call. */
  static SeriesFrames start(Channel channel, CallOptions options, SeriesRequest request) {
    SeriesFrames frames = new SeriesFrames(channel, options);
    frames.call.start(frames.new Listener(), new Metadata());
    frames.call.sendMessage(request);
    frames.call.halfClose();
    frames.call.request(WINDOW);
    return frames;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      if (failure != null) {
        throw failure.asRuntimeException();
      }
      try {
        next = arrived.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.cancel("interrupted", e);
        throw Status.CANCELLED.withDescription("interrupted while reading series")
            .withCause(e).asRuntimeException();
      }
      if (next instanceof Status s) {
        next = END;
        if (!s.isOk()) {
          failure = s;
          throw s.asRuntimeException();
        }
      }
    }
    return next != END;
  }

  @Override
  public SeriesResponse next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    SeriesResponse r = (SeriesResponse) next;
    next = null;
    if (++readSinceRequest == WINDOW / 2) {
      readSinceRequest = 0;
      call.request(WINDOW / 2);
    }
    return r;
  }

  /** Runs on the transport's thread: only queues what arrives. */
  private final class Listener extends ClientCall.Listener<SeriesResponse> {
    @Override
    public void onMessage(SeriesResponse message) {
      arrived.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      arrived.add(status);
    }
  }
}
