package io.stellaops.supplychain.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code limit} bytes: a larger declared length is refused
 * before a byte is read, and a body that grows past the limit is cut off as soon as it does, so a
 * hostile registry cannot make us read or hold more. Hand-written because java.net.http's
 * subscribers read whole bodies.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** A body over the limit; the message says how large and what the limit is. */
  static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  private final long limit;
  private final long declared;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private LimitedBody(long limit, long declared) {
    this.limit = limit;
    this.declared = declared;
  }

  /** A handler whose bodies are at most {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info ->
        new LimitedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (declared > limit) {
      subscription.cancel();
      result.completeExceptionally(
          new TooLarge("declares " + declared + " bytes, more than the " + limit + " read"));
      return;
    }
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (bytes.size() + (long) buffer.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(
            new TooLarge("is larger than the " + limit + " bytes read (cut off)"));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.writeBytes(chunk);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }
}
