package io.stellaops.supplychain.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stellaops.supplychain.digest.Sha256;
import io.stellaops.supplychain.dsse.Dsse;
import io.stellaops.supplychain.dsse.Envelope;
import io.stellaops.supplychain.json.CanonicalJson;
import io.stellaops.supplychain.json.SignedJson;
import io.stellaops.supplychain.keys.PemKeys;
import io.stellaops.supplychain.keys.Signatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A self-describing tar of files: {@code manifest.json} (every file with its sha256 and size, plus
 * what the bundle is about) and {@code checksums.txt} ({@code sha256sum -c} reads it), the files in
 * name order with fixed timestamps, owners and modes, so the same content always makes the same
 * bytes and the same digest: pushing a bundle again never makes a second archive. A signed bundle
 * ({@link #signedBytes}) also carries {@code manifest.dsse.json} (a DSSE envelope of the manifest)
 * and {@code manifest.json.sig} (the manifest's plain signature, as {@code cosign verify-blob}
 * reads it). Read back with {@link #read}, which checks every file against the manifest; {@link
 * #signatureProblems} checks the signatures.
 */
public final class Bundle {
  public static final String MANIFEST = "manifest.json";
  public static final String CHECKSUMS = "checksums.txt";
  public static final String SIGNED_MANIFEST = "manifest.dsse.json";
  public static final String MANIFEST_SIGNATURE = "manifest.json.sig";
  public static final String MANIFEST_PAYLOAD_TYPE =
      "application/vnd.stellaops.bundle.manifest+json";
  public static final String MEDIA_TYPE = "application/vnd.stellaops.bundle.v1.tar";

  /**
   * The largest bundle written or read: bundles are built, pushed and read back in memory (256 MiB:
   * about 17,000 evidence packets of 3 KiB Statements, three copies in a 768 MiB container).
   */
  public static final long MAX_BYTES = 256L << 20;

  private final Map<String, byte[]> files;
  private final JsonNode about;
  // as read (null when built here): the manifest and checksums, and the signature files, which
  // sign the manifest's exact bytes
  private final JsonNode manifestJson;
  private final byte[] manifestRead;
  private final byte[] checksumsRead;
  private final Map<String, byte[]> signatures;

  private Bundle(
      Map<String, byte[]> files,
      JsonNode manifestJson,
      byte[] manifestRead,
      byte[] checksumsRead,
      Map<String, byte[]> signatures) {
    this.files = files;
    this.about = manifestJson.path("about");
    this.manifestJson = manifestJson;
    this.manifestRead = manifestRead;
    this.checksumsRead = checksumsRead;
    this.signatures = signatures;
  }

  private Bundle(Map<String, byte[]> files, JsonNode about) {
    this.files = files;
    this.about = about;
    this.manifestJson = null;
    this.manifestRead = null;
    this.checksumsRead = null;
    this.signatures = Map.of();
  }

  /** A bundle of {@code files} (path → content) described by {@code about}. */
  public static Bundle of(Map<String, byte[]> files, JsonNode about) {
    return new Bundle(new TreeMap<>(files), about);
  }

  /** The files, by path (the manifest and checksums left out). */
  public Map<String, byte[]> files() {
    return files;
  }

  /** What the manifest says the bundle is about. */
  public JsonNode about() {
    return about;
  }

  // each file is hashed once for the manifest, the checksums and the check
  private final Map<String, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();

  private String sha256(String path) {
    return hashes.computeIfAbsent(path, p -> Sha256.hex(files.get(p)));
  }

  /** The manifest's bytes: as read, or as {@link #bytes} writes them. */
  public byte[] manifest() {
    if (manifestRead != null) {
      return manifestRead;
    }
    ObjectNode manifest = CanonicalJson.MAPPER.createObjectNode();
    manifest.set("about", about);
    ArrayNode list = manifest.putArray("files");
    files.forEach((path, content) ->
        list.addObject().put("path", path).put("sha256", sha256(path)).put("size", content.length));
    return CanonicalJson.bytes(manifest);
  }

  private String checksums() {
    StringBuilder checksums = new StringBuilder();
    files.forEach(
        (path, content) -> checksums.append(sha256(path)).append("  ").append(path).append('\n'));
    return checksums.toString();
  }

  /** The tar bytes. */
  public byte[] bytes() {
    return tar(manifest(), Map.of());
  }

  /**
   * The tar bytes with the manifest signed by {@code key} (named {@code keyId} in the envelope).
   * The signatures are deterministic, so the same content and key make the same bytes.
   */
  public byte[] signedBytes(PrivateKey key, String keyId) {
    byte[] manifest = manifest();
    Envelope envelope = Dsse.sign(MANIFEST_PAYLOAD_TYPE, manifest, key, keyId);
    Map<String, byte[]> signed = new LinkedHashMap<>();
    signed.put(SIGNED_MANIFEST, CanonicalJson.bytes(envelope));
    signed.put(
        MANIFEST_SIGNATURE,
        Base64.getEncoder()
            .encodeToString(Signatures.sign(key, manifest))
            .getBytes(StandardCharsets.UTF_8));
    return tar(manifest, signed);
  }

  private byte[] tar(byte[] manifest, Map<String, byte[]> signed) {
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put(MANIFEST, manifest);
    all.put(CHECKSUMS, checksums().getBytes(StandardCharsets.UTF_8));
    all.putAll(signed);
    all.putAll(files);
    // sized up front: growing a buffer of hundreds of MiB copies it again at every doubling
    long size = 1024;
    for (byte[] content : all.values()) {
      size += 1536 + content.length; // header, PAX name record, padding
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 16));
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var file : all.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setMode(0100644);
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a bundle in memory", e);
    }
    return out.toByteArray();
  }

  /** The key id the manifest's DSSE envelope names; empty when the bundle is not signed. */
  public Optional<String> signer() {
    try {
      return Optional.ofNullable(signatures.get(SIGNED_MANIFEST))
          .map(bytes -> signedManifest(bytes).signatures().getFirst().keyid());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * What is wrong with the manifest's signatures under {@code key}, each naming its file; empty
   * when both verify and sign this very manifest.
   */
  public List<String> signatureProblems(PublicKey key) {
    List<String> problems = new ArrayList<>();
    byte[] manifest = manifest();
    byte[] envelopeBytes = signatures.get(SIGNED_MANIFEST);
    boolean manifestChanged = false;
    if (envelopeBytes == null) {
      problems.add(SIGNED_MANIFEST + ": missing, the bundle is not signed");
    } else {
      byte[] signedPayload = null;
      try {
        Envelope envelope = signedManifest(envelopeBytes);
        if (!MANIFEST_PAYLOAD_TYPE.equals(envelope.payloadType())) {
          problems.add(
              SIGNED_MANIFEST
                  + ": payload type "
                  + envelope.payloadType()
                  + ", not "
                  + MANIFEST_PAYLOAD_TYPE);
        } else {
          signedPayload = Dsse.verify(envelope, key);
        }
      } catch (RuntimeException e) {
        problems.add(SIGNED_MANIFEST + ": " + e.getMessage());
      }
      manifestChanged = signedPayload != null && !Arrays.equals(signedPayload, manifest);
      if (manifestChanged) {
        problems.add(MANIFEST + ": is not the manifest " + SIGNED_MANIFEST + " signs");
      }
    }
    byte[] signature = signatures.get(MANIFEST_SIGNATURE);
    if (signature == null) {
      problems.add(MANIFEST_SIGNATURE + ": missing, the bundle is not signed");
    } else {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(new String(signature, StandardCharsets.UTF_8).strip());
      } catch (IllegalArgumentException e) {
        raw = new byte[0];
      }
      if (!manifestChanged && !Signatures.verify(key, manifest, raw)) {
        problems.add(
            MANIFEST_SIGNATURE
                + ": does not verify "
                + MANIFEST
                + " with key "
                + PemKeys.keyId(key));
      }
    }
    return problems;
  }

  private static Envelope signedManifest(byte[] bytes) {
    try {
      return Envelope.parse(bytes);
    } catch (SignedJson.Rejected e) {
      throw new IllegalArgumentException("not a DSSE envelope: " + e.getMessage());
    }
  }

  /** A bundle that does not hold what its manifest says; the message names the first file. */
  public static final class Damaged extends Exception {
    public Damaged(String message) {
      super(message);
    }
  }

  /**
   * Reads a bundle and checks it: every file the manifest lists is there with its digest and size,
   * nothing else is, and {@code checksums.txt} says the same as the manifest.
   */
  public static Bundle read(byte[] tarBytes) throws Damaged {
    return unchecked(tarBytes).checked();
  }

  /**
   * Reads a bundle without checking its files, so that a signed manifest can be checked first: then
   * a changed manifest is named as such, not as a file that no longer matches it.
   */
  public static Bundle unchecked(byte[] tarBytes) throws Damaged {
    Map<String, byte[]> found = new TreeMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(tarBytes))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          found.put(entry.getName(), tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new Damaged("not a readable tar: " + e.getMessage());
    }
    byte[] manifestBytes = found.remove(MANIFEST);
    byte[] checksums = found.remove(CHECKSUMS);
    Map<String, byte[]> signatures = new TreeMap<>();
    for (String name : List.of(SIGNED_MANIFEST, MANIFEST_SIGNATURE)) {
      byte[] signature = found.remove(name);
      if (signature != null) {
        signatures.put(name, signature);
      }
    }
    if (manifestBytes == null) {
      throw new Damaged("no " + MANIFEST);
    }
    JsonNode manifest;
    try {
      manifest = CanonicalJson.MAPPER.readTree(manifestBytes);
    } catch (IOException e) {
      throw new Damaged(MANIFEST + " is not JSON: " + e.getMessage());
    }
    return new Bundle(found, manifest, manifestBytes, checksums, signatures);
  }

  /** This bundle, once its files are checked against its manifest (see {@link #read}). */
  public Bundle checked() throws Damaged {
    if (manifestJson == null) {
      return this;
    }
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (JsonNode file : manifestJson.path("files")) {
      String path = file.path("path").asText();
      listed.add(path);
      byte[] content = files.get(path);
      if (content == null) {
        throw new Damaged(path + ": listed in the manifest, missing from the bundle");
      }
      if (content.length != file.path("size").asLong()
          || !sha256(path).equals(file.path("sha256").asText())) {
        throw new Damaged(path + ": does not match its sha256 in the manifest");
      }
    }
    for (String path : files.keySet()) {
      if (!listed.contains(path)) {
        throw new Damaged(path + ": in the bundle, not in the manifest");
      }
    }
    if (checksumsRead == null
        || !checksums().equals(new String(checksumsRead, StandardCharsets.UTF_8))) {
      throw new Damaged(
          CHECKSUMS
              + (checksumsRead == null
                  ? ": missing"
                  : ": does not list what " + MANIFEST + " lists"));
    }
    return this;
  }
}
