package io.stellaops.controllers.ilmclass;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stellaops.crds.ilmclass.IlmClassSpec.Kind;
import java.time.Instant;

/**
 * One object an IlmClass may govern, as the lifecycle sees it.
 *
 * @param className the class it names (through itself, its Environment or its Release); null for
 *     the default class
 * @param release the release it is about, to pin it while the release runs somewhere
 * @param promotion the promotion it belongs to (the promotion itself for a Promotion), if any
 * @param inFlight whether its promotion has not ended yet
 * @param bytes its size in the API server (JSON)
 * @param deleting whether someone asked for its deletion (its namespace is going away, or its owner
 *     was deleted) and only the finalizer keeps it
 */
record Governed(
    Kind kind,
    HasMetadata object,
    String className,
    String release,
    String promotion,
    boolean inFlight,
    long bytes,
    boolean deleting) {

  String namespace() {
    return object.getMetadata().getNamespace();
  }

  String name() {
    return object.getMetadata().getName();
  }

  Instant created() {
    return Instant.parse(object.getMetadata().getCreationTimestamp());
  }

  /** {@code EvidencePacket shop/api-to-prod}, as messages and logs name it. */
  String id() {
    return kind + " " + namespace() + "/" + name();
  }
}
