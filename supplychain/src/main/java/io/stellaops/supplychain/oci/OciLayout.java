package io.stellaops.supplychain.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * An OCI image layout (image-spec {@code image-layout.md}) held in memory: {@code oci-layout},
 * {@code index.json} and {@code blobs/sha256/<hex>}, as a mirror bundle carries images across an
 * air gap. One layout holds many repositories, so each {@code index.json} entry's {@code
 * org.opencontainers.image.ref.name} is the whole name, {@code <repository>:<tag>} or {@code
 * <repository>@<digest>}. It answers the reads of {@link OciReader} as a registry holding exactly
 * these manifests would, so signatures are checked against the layout before anything is pushed.
 *
 * <p>Copies walk manifests (an index's children, a manifest's config and layers) by digest, one
 * level of referrers deep; hand-written because no library this project uses writes layouts (see
 * docs/export.md).
 */
public final class OciLayout implements OciReader {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final String LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";
  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  /**
   * A named manifest of the layout.
   *
   * @param image the repository, e.g. {@code registry.example.com/shop/api}
   * @param reference a tag or the manifest's own digest
   */
  public record Entry(String image, String reference, String mediaType, String digest, long size) {
    public String name() {
      return new ImageReference.Named(image, reference).toString();
    }
  }

  private final Map<String, byte[]> blobs = new TreeMap<>();
  private final Map<String, Entry> entries = new TreeMap<>();

  /**
   * What a base bundle carries, as {@code <repository>@<digest>}: not fetched into this layout, not
   * written out. Per repository, because a registry keeps blobs per repository.
   */
  private final Set<String> carriedElsewhere = new TreeSet<>();

  /** {@code <repository>@<digest>} this layout names but leaves to its base. */
  private final Set<String> omitted = new TreeSet<>();

  public static OciLayout empty() {
    return new OciLayout();
  }

  /**
   * A layout that leaves out (neither fetches nor writes) what {@code base} carries ({@link
   * #carried()} of the base): a delta of it.
   */
  public static OciLayout deltaOf(Set<String> base) {
    OciLayout layout = new OciLayout();
    layout.carriedElsewhere.addAll(base);
    return layout;
  }

  /** {@code <repository>@<digest>} named here and left to the base, in order. */
  public List<String> omitted() {
    return List.copyOf(omitted);
  }

  /**
   * {@code <repository>@<digest>} of every manifest and blob this layout holds for its named
   * manifests, or leaves to its base: what a delta of it may leave out.
   */
  public Set<String> carried() {
    Set<String> carried = new TreeSet<>(omitted);
    for (Entry e : entries.values()) {
      walk(e.image(), e.digest(), carried);
    }
    return carried;
  }

  private void walk(String image, String manifestDigest, Set<String> carried) {
    carried.add(image + "@" + manifestDigest);
    byte[] bytes = blobs.get(manifestDigest);
    if (bytes == null) {
      return; // left to the base, with all it names
    }
    JsonNode json = json(bytes, image + "@" + manifestDigest);
    for (JsonNode child : json.path("manifests")) {
      walk(image, child.path("digest").asText(), carried);
    }
    for (String digest : blobDigests(json)) {
      carried.add(image + "@" + digest);
    }
  }

  /**
   * The layout stored under {@code prefix} (e.g. {@code oci/}) in {@code files}; every blob is
   * checked against the digest its path names.
   */
  public static OciLayout read(Map<String, byte[]> files, String prefix) {
    return read(files, prefix, Set.of());
  }

  /**
   * As {@link #read(Map, String)}, for a delta: what {@code omitted} names may be absent here (its
   * base has it).
   */
  public static OciLayout read(Map<String, byte[]> files, String prefix, Set<String> omitted) {
    byte[] index = files.get(prefix + "index.json");
    if (index == null || !files.containsKey(prefix + "oci-layout")) {
      throw new IllegalArgumentException(
          "no OCI image layout under " + prefix + " (oci-layout and index.json)");
    }
    OciLayout layout = new OciLayout();
    layout.omitted.addAll(omitted);
    String blobPrefix = prefix + "blobs/sha256/";
    for (var file : files.entrySet()) {
      if (!file.getKey().startsWith(blobPrefix)) {
        continue;
      }
      String digest = Sha256.PREFIX + file.getKey().substring(blobPrefix.length());
      if (!Sha256.digest(file.getValue()).equals(digest)) {
        throw new IllegalArgumentException(file.getKey() + " does not hash to its name");
      }
      layout.blobs.put(digest, file.getValue());
    }
    JsonNode manifests;
    try {
      manifests = CanonicalJson.MAPPER.readTree(index).path("manifests");
    } catch (IOException e) {
      throw new IllegalArgumentException(prefix + "index.json is not JSON: " + e.getMessage());
    }
    for (JsonNode m : manifests) {
      String name = m.path("annotations").path(REF_NAME).asText("");
      String digest = m.path("digest").asText();
      var named =
          ImageReference.Named.split(name)
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      prefix
                          + "index.json: entry "
                          + digest
                          + " names no repository ("
                          + REF_NAME
                          + ")"));
      String image = named.repository();
      String reference = named.reference();
      if (!layout.blobs.containsKey(digest) && !omitted.contains(image + "@" + digest)) {
        throw new IllegalArgumentException(
            prefix + "index.json names " + digest + ", not in blobs/");
      }
      layout.entries.put(
          name,
          new Entry(
              image, reference, m.path("mediaType").asText(), digest, m.path("size").asLong()));
    }
    return layout;
  }

  /** Takes in everything {@code other} holds, names and leaves to its base. */
  public void merge(OciLayout other) {
    blobs.putAll(other.blobs);
    entries.putAll(other.entries);
    omitted.addAll(other.omitted);
  }

  /** The named manifests, by name. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  public boolean hasBlob(String digest) {
    return blobs.containsKey(digest);
  }

  /** Sum of every blob's size, manifests included. */
  public long bytes() {
    return blobs.values().stream().mapToLong(b -> b.length).sum();
  }

  /** The layout's files under {@code prefix}, by path. */
  public Map<String, byte[]> files(String prefix) {
    Map<String, byte[]> files = new TreeMap<>();
    files.put(prefix + "oci-layout", LAYOUT.getBytes(StandardCharsets.UTF_8));
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (Entry e : entries.values()) {
      Map<String, Object> descriptor = new LinkedHashMap<>();
      descriptor.put("mediaType", e.mediaType());
      descriptor.put("digest", e.digest());
      descriptor.put("size", e.size());
      descriptor.put("annotations", Map.of(REF_NAME, e.name()));
      manifests.add(descriptor);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_MEDIA_TYPE);
    index.put("manifests", manifests);
    files.put(prefix + "index.json", CanonicalJson.bytes(index));
    blobs.forEach(
        (digest, bytes) -> files.put(prefix + "blobs/sha256/" + Sha256.hexOf(digest), bytes));
    return files;
  }

  /**
   * Copies {@code image} at {@code reference} from {@code source} into this layout with everything
   * it references (an index's manifests, configs, layers), named as it was; the copied manifest.
   */
  public RegistryClient.Manifest copy(
      OciReader source,
      String image,
      String reference,
      Optional<RegistryClient.Credentials> credentials) {
    RegistryClient.Manifest manifest = source.manifest(image, reference, credentials);
    copyContent(source, image, manifest, credentials);
    var entry =
        new Entry(
            image, reference, manifest.mediaType(), manifest.digest(), manifest.bytes().length);
    entries.put(entry.name(), entry);
    return manifest;
  }

  /**
   * Copies {@code image@digest}, cosign's tags beside it ({@code .sig}, {@code .att}, {@code
   * .sbom}) and its referrers (the referrers tag itself where the registry has no API); the names
   * copied.
   */
  public List<String> copyImage(
      OciReader source,
      String image,
      String digest,
      Optional<RegistryClient.Credentials> credentials) {
    List<String> copied = new ArrayList<>();
    copy(source, image, digest, credentials);
    copied.add(image + "@" + digest);
    String hex = Sha256.hexOf(digest);
    for (String suffix : List.of("sig", "att", "sbom")) {
      copyIfPresent(source, image, "sha256-" + hex + "." + suffix, credentials)
          .ifPresent(copied::add);
    }
    var referrers = source.referrers(image, digest, credentials);
    if (referrers.fromTag()) {
      copyIfPresent(source, image, "sha256-" + hex, credentials).ifPresent(copied::add);
    } else {
      for (var descriptor : referrers.descriptors()) {
        String referrer = descriptor.path("digest").asText();
        copy(source, image, referrer, credentials);
        copied.add(image + "@" + referrer);
      }
    }
    return copied;
  }

  private Optional<String> copyIfPresent(
      OciReader source,
      String image,
      String tag,
      Optional<RegistryClient.Credentials> credentials) {
    try {
      copy(source, image, tag, credentials);
      return Optional.of(image + ":" + tag);
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The manifest's content, unless its base carries it (then all it names too). */
  private void copyContent(
      OciReader source,
      String image,
      RegistryClient.Manifest manifest,
      Optional<RegistryClient.Credentials> credentials) {
    if (carriedElsewhere.contains(image + "@" + manifest.digest())) {
      omitted.add(image + "@" + manifest.digest());
      return;
    }
    blobs.put(manifest.digest(), manifest.bytes());
    JsonNode json = json(manifest.bytes(), image + "@" + manifest.digest());
    for (JsonNode child : json.path("manifests")) {
      String digest = child.path("digest").asText();
      if (carriedElsewhere.contains(image + "@" + digest)) {
        omitted.add(image + "@" + digest);
      } else if (!blobs.containsKey(digest)) {
        copyContent(source, image, source.manifest(image, digest, credentials), credentials);
      }
    }
    for (String digest : blobDigests(json)) {
      if (carriedElsewhere.contains(image + "@" + digest)) {
        omitted.add(image + "@" + digest);
      } else if (!blobs.containsKey(digest)) {
        blobs.put(digest, source.blob(image, digest, credentials));
      }
    }
  }

  /**
   * Pushes every named manifest to {@code target} under the name {@code rename} gives its
   * repository: blobs first (each once per repository, unless the registry has it), then the
   * manifests an index names, then the named manifest at its tag or digest. Returns the names
   * pushed.
   */
  public List<String> push(
      RegistryClient target,
      UnaryOperator<String> rename,
      Optional<RegistryClient.Credentials> credentials) {
    List<String> pushed = new ArrayList<>();
    List<Entry> ordered = new ArrayList<>(entries.values());
    // images before what refers to them: a registry may check a subject exists
    ordered.sort(
        Comparator.comparing((Entry e) -> e.reference().startsWith(Sha256.PREFIX) ? 0 : 1));
    for (Entry e : ordered) {
      String to = rename.apply(e.image());
      byte[] bytes = blobs.get(e.digest());
      if (bytes == null) {
        // left to the base: its import pushed the manifest and all it names; a tag may be new
        bytes = fromBase(target, to, e.digest(), credentials);
        if (e.reference().startsWith(Sha256.PREFIX)) {
          continue;
        }
      } else {
        pushContent(target, e.image(), to, e.digest(), credentials);
      }
      target.pushManifest(to, e.reference(), e.mediaType(), bytes, credentials);
      pushed.add(new Entry(to, e.reference(), e.mediaType(), e.digest(), e.size()).name());
    }
    pushed.addAll(referrersTags(target, rename, credentials));
    return pushed;
  }

  /**
   * On a registry without the referrers API, referrers are found only through the {@code
   * sha256-<hex>} index tag clients maintain: for every subject whose referrers were pushed by
   * digest, that tag is written (merged with what it lists already). The tags written.
   */
  private List<String> referrersTags(
      RegistryClient target,
      UnaryOperator<String> rename,
      Optional<RegistryClient.Credentials> credentials) {
    Map<String, String> subjects = new TreeMap<>(); // image@subject → image
    for (Entry e : entries.values()) {
      if (e.reference().startsWith(Sha256.PREFIX) && blobs.containsKey(e.digest())) {
        String subject = json(blobs.get(e.digest()), e.name()).at("/subject/digest").asText("");
        if (Sha256.isDigest(subject)) {
          subjects.put(e.image() + "@" + subject, e.image());
        }
      }
    }
    List<String> written = new ArrayList<>();
    for (var s : subjects.entrySet()) {
      String image = s.getValue();
      String subject = s.getKey().substring(image.length() + 1);
      String to = rename.apply(image);
      RegistryClient.Referrers listed = target.referrers(to, subject, credentials);
      if (listed.fromApi()) {
        continue;
      }
      Map<String, JsonNode> merged = new TreeMap<>();
      listed.descriptors().forEach(d -> merged.put(d.path("digest").asText(), d));
      int before = merged.size();
      referrers(image, subject, Optional.empty())
          .descriptors()
          .forEach(d -> merged.putIfAbsent(d.path("digest").asText(), d));
      if (merged.size() == before) {
        continue;
      }
      Map<String, Object> index = new LinkedHashMap<>();
      index.put("schemaVersion", 2);
      index.put("mediaType", INDEX_MEDIA_TYPE);
      index.put("manifests", List.copyOf(merged.values()));
      String tag = "sha256-" + Sha256.hexOf(subject);
      target.pushManifest(to, tag, INDEX_MEDIA_TYPE, CanonicalJson.bytes(index), credentials);
      written.add(to + ":" + tag);
    }
    return written;
  }

  private void pushContent(
      RegistryClient target,
      String image,
      String to,
      String manifestDigest,
      Optional<RegistryClient.Credentials> credentials) {
    JsonNode json = json(blobs.get(manifestDigest), image + "@" + manifestDigest);
    for (String digest : blobDigests(json)) {
      byte[] blob = blobs.get(digest);
      if (blob != null) {
        target.pushBlob(to, blob, credentials);
      } else if (!omitted.contains(image + "@" + digest)) {
        throw new RegistryException(image + "@" + digest, 404, "BLOB_UNKNOWN: not in the layout");
      } else if (!target.hasBlob(to, digest, credentials)) {
        throw notInBase(to, digest);
      }
    }
    for (JsonNode child : json.path("manifests")) {
      String digest = child.path("digest").asText();
      byte[] bytes = blobs.get(digest);
      if (bytes == null) {
        fromBase(target, to, digest, credentials);
        continue;
      }
      pushContent(target, image, to, digest, credentials);
      target.pushManifest(to, digest, mediaTypeOf(bytes, child), bytes, credentials);
    }
  }

  /** A manifest left to the base, as the registry holds it since the base was imported. */
  private static byte[] fromBase(
      RegistryClient target,
      String to,
      String digest,
      Optional<RegistryClient.Credentials> credentials) {
    try {
      return target.manifest(to, digest, credentials).bytes();
    } catch (RegistryException e) {
      if (e.status() == 404) {
        throw notInBase(to, digest);
      }
      throw e;
    }
  }

  private static RegistryException notInBase(String to, String digest) {
    return new RegistryException(
        to
            + "@"
            + digest
            + ": this delta leaves it to its base bundle, and the registry does not have it:"
            + " import the base first");
  }

  private static List<String> blobDigests(JsonNode manifest) {
    List<String> digests = new ArrayList<>();
    if (manifest.path("config").has("digest")) {
      digests.add(manifest.path("config").path("digest").asText());
    }
    for (JsonNode layer : manifest.path("layers")) {
      if (!layer.has("urls")) { // foreign layers stay where their URLs say
        digests.add(layer.path("digest").asText());
      }
    }
    for (String digest : digests) {
      if (!Sha256.isDigest(digest)) {
        throw new RegistryException("a manifest names blob " + digest + ", not a sha256 digest");
      }
    }
    return digests;
  }

  private static JsonNode json(byte[] manifest, String what) {
    try {
      return CanonicalJson.MAPPER.readTree(manifest);
    } catch (IOException e) {
      throw new RegistryException(what + ": the manifest is not JSON");
    }
  }

  private static String mediaTypeOf(byte[] manifest, JsonNode descriptor) {
    String own = json(manifest, "manifest").path("mediaType").asText("");
    return own.isEmpty() ? descriptor.path("mediaType").asText() : own;
  }

  private byte[] blobOrThrow(String image, String digest) {
    byte[] blob = blobs.get(digest);
    if (blob == null) {
      throw new RegistryException(image + "@" + digest, 404, "BLOB_UNKNOWN: not in the layout");
    }
    return blob;
  }

  @Override
  public RegistryClient.Manifest manifest(
      String image, String reference, Optional<RegistryClient.Credentials> credentials) {
    String digest;
    String mediaType = null;
    if (reference.startsWith(Sha256.PREFIX)) {
      digest = reference;
    } else {
      Entry entry = entries.get(image + ":" + reference);
      if (entry == null) {
        throw new RegistryException(
            image + ":" + reference, 404, "MANIFEST_UNKNOWN: not in the layout");
      }
      digest = entry.digest();
      mediaType = entry.mediaType();
    }
    byte[] bytes = blobs.get(digest);
    if (bytes == null) {
      throw new RegistryException(image + "@" + digest, 404, "MANIFEST_UNKNOWN: not in the layout");
    }
    JsonNode json = json(bytes, image + "@" + digest);
    String own = json.path("mediaType").asText("");
    return new RegistryClient.Manifest(
        digest, own.isEmpty() && mediaType != null ? mediaType : own, bytes);
  }

  @Override
  public byte[] blob(
      String image, String digest, Optional<RegistryClient.Credentials> credentials) {
    return blobOrThrow(image, digest);
  }

  /**
   * The manifests of {@code image} whose subject is {@code digest}, named ones and those a named
   * index lists (cosign's {@code sha256-<hex>} referrers tag), as the referrers API lists them.
   */
  @Override
  public RegistryClient.Referrers referrers(
      String image, String digest, Optional<RegistryClient.Credentials> credentials) {
    Map<String, JsonNode> found = new TreeMap<>();
    for (Entry e : entries.values()) {
      if (!e.image().equals(image)) {
        continue;
      }
      if (!blobs.containsKey(e.digest())) {
        continue; // left to the base: the registry it was imported into lists it
      }
      JsonNode manifest = json(blobs.get(e.digest()), e.name());
      addIfReferrer(found, e.digest(), e.mediaType(), manifest, digest);
      for (JsonNode child : manifest.path("manifests")) {
        String childDigest = child.path("digest").asText();
        byte[] bytes = blobs.get(childDigest);
        if (bytes != null) {
          addIfReferrer(
              found, childDigest, mediaTypeOf(bytes, child), json(bytes, childDigest), digest);
        }
      }
    }
    return new RegistryClient.Referrers(
        List.copyOf(found.values()), "listed from the layout's manifests");
  }

  private void addIfReferrer(
      Map<String, JsonNode> found,
      String manifestDigest,
      String mediaType,
      JsonNode manifest,
      String subject) {
    if (!subject.equals(manifest.path("subject").path("digest").asText())) {
      return;
    }
    ObjectNode descriptor = CanonicalJson.MAPPER.createObjectNode();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", manifestDigest);
    descriptor.put("size", blobs.get(manifestDigest).length);
    descriptor.put(
        "artifactType",
        manifest.path("artifactType").asText(manifest.path("config").path("mediaType").asText()));
    if (manifest.has("annotations")) {
      descriptor.set("annotations", manifest.get("annotations"));
    }
    found.put(manifestDigest, descriptor);
  }
}
