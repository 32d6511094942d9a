package io.stellaops.controllers.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** A controller's informer cache of a secondary kind, as it registered it. */
public final class Informers {
  private Informers() {}

  /** The one informer of {@code type} the controller registered. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> of(
      Context<P> context, Class<R> type) {
    return (InformerEventSource<R, P>) context.eventSourceRetriever().<R>getEventSourceFor(type);
  }

  /** The informer of {@code type} registered under {@code name}. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> of(
      Context<P> context, Class<R> type, String name) {
    return (InformerEventSource<R, P>)
        context.eventSourceRetriever().<R>getEventSourceFor(type, name);
  }
}
