package io.stellaops.controllers.ilmclass;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.stellaops.crds.approval.Approval;
import io.stellaops.crds.deploymentjob.DeploymentJob;
import io.stellaops.crds.environment.Environment;
import io.stellaops.crds.evidencepacket.EvidencePacket;
import io.stellaops.crds.ilmclass.IlmClass;
import io.stellaops.crds.ilmclass.IlmClassSpec.Kind;
import io.stellaops.crds.promotion.Phase;
import io.stellaops.crds.promotion.Promotion;
import io.stellaops.crds.release.Release;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The objects IlmClasses govern, read from informer caches (one watch per kind for the whole
 * cluster) so a lifecycle run costs the API server nothing but its writes.
 */
public final class IlmInventory implements AutoCloseable {
  static final String PROMOTION_LABEL = "stellaops.io/promotion";
  static final String RELEASE_LABEL = "stellaops.io/release";
  static final String COMPONENT_LABEL = "stellaops.io/component";
  private final KubernetesClient client;
  private final SharedIndexInformer<EvidencePacket> packets;
  private final SharedIndexInformer<Promotion> promotions;
  private final SharedIndexInformer<DeploymentJob> jobs;
  private final SharedIndexInformer<Approval> approvals;
  private final SharedIndexInformer<Release> releases;
  private final SharedIndexInformer<Environment> environments;
  private final SharedIndexInformer<ConfigMap> decisions;
  private final SharedIndexInformer<ConfigMap> reports;
  private static final String BY_PROMOTION = "promotion";

  private final Map<String, long[]> sizes = new java.util.concurrent.ConcurrentHashMap<>();

  public IlmInventory(KubernetesClient client) {
    this.client = client;
    this.packets = inform(client.resources(EvidencePacket.class).inAnyNamespace(), null, null);
    this.promotions = inform(client.resources(Promotion.class).inAnyNamespace(), null, null);
    this.jobs =
        inform(
            client.resources(DeploymentJob.class).inAnyNamespace(),
            j -> j.getMetadata().getNamespace() + "/" + j.getSpec().promotion(),
            null);
    this.approvals =
        inform(
            client.resources(Approval.class).inAnyNamespace(),
            a -> a.getMetadata().getNamespace() + "/" + a.getSpec().promotion(),
            null);
    this.releases = inform(client.resources(Release.class).inAnyNamespace(), null, null);
    this.environments = inform(client.resources(Environment.class).inAnyNamespace(), null, null);
    this.decisions =
        inform(
            client.configMaps().inAnyNamespace().withLabel(PROMOTION_LABEL),
            cm ->
                cm.getMetadata().getNamespace()
                    + "/"
                    + cm.getMetadata().getLabels().get(PROMOTION_LABEL),
            null);
    // a report is read again when it is archived; kept whole, 50,000 of them filled a 1 GiB heap
    this.reports =
        inform(
            client.configMaps().inAnyNamespace().withLabel(COMPONENT_LABEL),
            null,
            this::withoutContent);
  }

  /** The report's metadata, its size counted first (usage is reported in bytes). */
  private ConfigMap withoutContent(ConfigMap report) {
    slim(report);
    report.setData(null);
    report.setBinaryData(null);
    return report;
  }

  /**
   * What the cache keeps of any object: all but managedFields (server-side apply's bookkeeping,
   * often larger than the object and never archived), its size counted first.
   */
  private <T extends HasMetadata> T slim(T object) {
    size(object);
    object.getMetadata().setManagedFields(null);
    return object;
  }

  /**
   * {@code g}'s object as the API server has it now, when the cache keeps only its metadata (a
   * findings report); empty when it is gone.
   */
  java.util.Optional<Governed> whole(Governed g) {
    if (g.kind() != Kind.FindingsReport) {
      return java.util.Optional.of(g);
    }
    ConfigMap now = client.configMaps().inNamespace(g.namespace()).withName(g.name()).get();
    return java.util.Optional.ofNullable(now)
        .map(cm ->
            new Governed(
                g.kind(),
                cm,
                g.className(),
                g.release(),
                g.promotion(),
                g.inFlight(),
                g.bytes(),
                g.deleting()));
  }

  /**
   * A started informer; {@code promotionOf} (when given) indexes it by {@code namespace/promotion},
   * so a bundle finds what belongs to a promotion without scanning every object; {@code toStore} is
   * what the cache keeps of each object ({@link #slim} when not given).
   */
  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      Informable<T> source, Function<T, String> promotionOf, UnaryOperator<T> toStore) {
    SharedIndexInformer<T> informer = source.runnableInformer(0);
    UnaryOperator<T> kept = toStore != null ? toStore : this::slim;
    informer.itemStore(
        new BasicItemStore<>(Cache::metaNamespaceKeyFunc) {
          @Override
          public T put(String key, T object) {
            return super.put(key, kept.apply(object));
          }
        });
    if (promotionOf != null) {
      informer.addIndexers(Map.of(BY_PROMOTION, o -> List.of(promotionOf.apply(o))));
    }
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T object) {}

          @Override
          public void onUpdate(T before, T after) {}

          @Override
          public void onDelete(T object, boolean unknownFinalState) {
            sizes.remove(object.getMetadata().getUid());
          }
        });
    return informer.run();
  }

  /** Every Environment, for pins. */
  List<Environment> environments() {
    return environments.getStore().list();
  }

  /** {@code namespace/release} of every release a promotion names. */
  Set<String> promotedReleases() {
    Set<String> promoted = new HashSet<>();
    for (Promotion p : promotions.getStore().list()) {
      promoted.add(p.getMetadata().getNamespace() + "/" + p.getSpec().release());
    }
    for (EvidencePacket e : packets.getStore().list()) {
      promoted.add(e.getMetadata().getNamespace() + "/" + e.getSpec().release());
    }
    return promoted;
  }

  /** The objects of the kinds {@code cls} applies to whose class resolves to it. */
  List<Governed> governedBy(IlmClass cls, IlmClasses classes) {
    Map<String, Promotion> promotionsByName = new HashMap<>();
    promotions.getStore().list().forEach(p -> promotionsByName.put(key(p), p));
    Map<String, Environment> envs = new HashMap<>();
    environments.getStore().list().forEach(e -> envs.put(key(e), e));
    Map<String, Release> releasesByName = new HashMap<>();
    releases.getStore().list().forEach(r -> releasesByName.put(key(r), r));
    List<Governed> out = new ArrayList<>();
    for (Kind kind : cls.getSpec().appliesTo()) {
      switch (kind) {
        case EvidencePacket ->
            packets
                .getStore()
                .list()
                .forEach(p ->
                    add(
                        out,
                        cls,
                        classes,
                        kind,
                        p,
                        p.getSpec().ilmClass(),
                        p.getSpec().release(),
                        p.getSpec().promotion(),
                        false));
        case Promotion ->
            promotions
                .getStore()
                .list()
                .forEach(p -> addForPromotion(out, cls, classes, kind, p, p, envs));
        case DeploymentJob ->
            jobs.getStore()
                .list()
                .forEach(j ->
                    addForPromotion(
                        out,
                        cls,
                        classes,
                        kind,
                        j,
                        promotionsByName.get(
                            j.getMetadata().getNamespace() + "/" + j.getSpec().promotion()),
                        envs,
                        j.getSpec().release(),
                        j.getSpec().promotion()));
        case Approval ->
            approvals
                .getStore()
                .list()
                .forEach(a ->
                    addForPromotion(
                        out,
                        cls,
                        classes,
                        kind,
                        a,
                        promotionsByName.get(
                            a.getMetadata().getNamespace() + "/" + a.getSpec().promotion()),
                        envs,
                        null,
                        a.getSpec().promotion()));
        case DecisionRecord ->
            decisions
                .getStore()
                .list()
                .forEach(cm -> {
                  String promotion = cm.getMetadata().getLabels().get(PROMOTION_LABEL);
                  addForPromotion(
                      out,
                      cls,
                      classes,
                      kind,
                      cm,
                      promotionsByName.get(cm.getMetadata().getNamespace() + "/" + promotion),
                      envs,
                      null,
                      promotion);
                });
        case FindingsReport ->
            reports
                .getStore()
                .list()
                .forEach(cm -> {
                  String release = cm.getMetadata().getLabels().get(RELEASE_LABEL);
                  Release r = releasesByName.get(cm.getMetadata().getNamespace() + "/" + release);
                  add(
                      out,
                      cls,
                      classes,
                      kind,
                      cm,
                      r == null ? null : r.getSpec().ilmClass(),
                      release,
                      null,
                      false);
                });
        case Release ->
            releases
                .getStore()
                .list()
                .forEach(r ->
                    add(
                        out,
                        cls,
                        classes,
                        kind,
                        r,
                        r.getSpec().ilmClass(),
                        r.getMetadata().getName(),
                        null,
                        false));
      }
    }
    return out;
  }

  private void addForPromotion(
      List<Governed> out,
      IlmClass cls,
      IlmClasses classes,
      Kind kind,
      HasMetadata object,
      Promotion promotion,
      Map<String, Environment> envs) {
    addForPromotion(
        out,
        cls,
        classes,
        kind,
        object,
        promotion,
        envs,
        promotion == null ? null : promotion.getSpec().release(),
        object.getMetadata().getName());
  }

  /**
   * An object belonging to {@code promotion}: governed by its Environment's class; kept while the
   * promotion has not ended. A promotion already gone leaves its objects to the default class.
   */
  private void addForPromotion(
      List<Governed> out,
      IlmClass cls,
      IlmClasses classes,
      Kind kind,
      HasMetadata object,
      Promotion promotion,
      Map<String, Environment> envs,
      String release,
      String promotionName) {
    String named = null;
    boolean inFlight = false;
    if (promotion != null) {
      Environment env =
          envs.get(
              promotion.getMetadata().getNamespace() + "/" + promotion.getSpec().environment());
      named = env == null ? null : env.getSpec().ilmClass();
      inFlight = promotion.getStatus() == null || !Phase.ended(promotion.getStatus().getPhase());
      release = release != null ? release : promotion.getSpec().release();
    }
    add(out, cls, classes, kind, object, named, release, promotionName, inFlight);
  }

  private void add(
      List<Governed> out,
      IlmClass cls,
      IlmClasses classes,
      Kind kind,
      HasMetadata object,
      String named,
      String release,
      String promotion,
      boolean inFlight) {
    IlmClass governing = classes.resolve(named);
    if (governing == null
        || !governing.getMetadata().getName().equals(cls.getMetadata().getName())) {
      return;
    }
    out.add(
        new Governed(
            kind,
            object,
            named,
            release,
            promotion,
            inFlight,
            size(object),
            object.getMetadata().getDeletionTimestamp() != null));
  }

  /** The object's JSON size, computed once per version. */
  private long size(HasMetadata object) {
    String uid = object.getMetadata().getUid();
    String version = object.getMetadata().getResourceVersion();
    long[] known = sizes.get(uid);
    if (known != null && String.valueOf(known[0]).equals(version)) {
      return known[1];
    }
    long bytes = client.getKubernetesSerialization().asJson(object).length();
    sizes.put(uid, new long[] {parse(version), bytes});
    return bytes;
  }

  private static long parse(String version) {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The objects a bundle of {@code g} carries besides it: its promotion's decision, jobs,
   * approvals.
   */
  List<HasMetadata> related(Governed g) {
    List<HasMetadata> related = new ArrayList<>();
    if (g.promotion() == null) {
      return related;
    }
    String promotion = g.namespace() + "/" + g.promotion();
    if (LifecyclePlan.carries(g.kind(), Kind.Promotion)) {
      Promotion p = promotions.getStore().getByKey(promotion);
      if (p != null) {
        related.add(p);
      }
    }
    if (LifecyclePlan.carries(g.kind(), Kind.DecisionRecord)) {
      related.addAll(decisions.getIndexer().byIndex(BY_PROMOTION, promotion));
    }
    if (LifecyclePlan.carries(g.kind(), Kind.DeploymentJob)) {
      related.addAll(jobs.getIndexer().byIndex(BY_PROMOTION, promotion));
    }
    if (LifecyclePlan.carries(g.kind(), Kind.Approval)) {
      related.addAll(approvals.getIndexer().byIndex(BY_PROMOTION, promotion));
    }
    return related;
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  @Override
  public void close() {
    List.of(packets, promotions, jobs, approvals, releases, environments, decisions, reports)
        .forEach(SharedIndexInformer::close);
  }
}
