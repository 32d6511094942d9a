package io.stellaops.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stellaops.crds.evidencepacket.EvidencePublicKey;
import io.stellaops.decision.evidence.EvidenceKeyring;
import io.stellaops.supplychain.keys.PemKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The operator's evidence keys: the active key signs, retired keys still verify what they signed,
 * revoked keys verify nothing. The keyring is published beside the active public key.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "keys",
    description = "Evidence signing keys: list the keyring, rotate the active key, revoke one.",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @ParentCommand StellaCli cli;

  @Option(
      names = "--operator-namespace",
      defaultValue = "stella-system",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Where the operator keeps its keys (default: ${DEFAULT-VALUE}).")
  String operatorNamespace;

  @Override
  public void run() {
    cli.spec.commandLine().getSubcommands().get("keys").usage(cli.out());
  }

  /** The published keyring; the published key alone when an older operator wrote no keyring. */
  static EvidenceKeyring keyring(StellaCli cli, String operatorNamespace) {
    ConfigMap cm =
        cli.client()
            .configMaps()
            .inNamespace(operatorNamespace)
            .withName(EvidencePublicKey.CONFIG_MAP)
            .get();
    Map<String, String> data = cm == null || cm.getData() == null ? Map.of() : cm.getData();
    if (data.containsKey(EvidenceKeyring.DATA_KEY)) {
      return EvidenceKeyring.published(data);
    }
    if (data.containsKey(EvidencePublicKey.DATA_KEY)) {
      String pem = data.get(EvidencePublicKey.DATA_KEY);
      return EvidenceKeyring.empty()
          .activate(
              PemKeys.keyId(PemKeys.parsePublicKey(pem)),
              pem,
              Instant.parse(cm.getMetadata().getCreationTimestamp()));
    }
    throw new CommandLine.ParameterException(
        cli.spec.commandLine(),
        "no published key: ConfigMap "
            + operatorNamespace
            + "/"
            + EvidencePublicKey.CONFIG_MAP
            + " not found (the operator publishes it when it starts; --operator-namespace names"
            + " the namespace it runs in)");
  }

  static void publish(StellaCli cli, String operatorNamespace, EvidenceKeyring keyring) {
    cli.client()
        .configMaps()
        .inNamespace(operatorNamespace)
        .resource(EvidencePublicKey.configMap(operatorNamespace, keyring.publishedData()))
        .fieldManager("kubectl-stella")
        .forceConflicts()
        .serverSideApply();
  }

  /** The key whose id is {@code prefix} or starts with it (at least 8 characters). */
  static EvidenceKeyring.Key find(StellaCli cli, EvidenceKeyring keyring, String prefix) {
    List<EvidenceKeyring.Key> matches =
        keyring.keys().stream()
            .filter(k -> prefix.length() >= 8 && k.keyId().startsWith(prefix))
            .toList();
    if (matches.size() != 1) {
      throw new CommandLine.ParameterException(
          cli.spec.commandLine(),
          (matches.isEmpty() ? "no key in the keyring has id " : "several keys' ids start with ")
              + prefix
              + " (give 8 or more characters of an id `kubectl stella keys list` shows)");
    }
    return matches.getFirst();
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List the keyring: each key's id, state and validity window.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand KeysCommand keys;

    @Override
    public Integer call() {
      var out = keys.cli.out();
      out.printf("%-16s %-8s %s%n", "KEY ID", "STATE", "WINDOW");
      for (var k : keyring(keys.cli, keys.operatorNamespace).keys()) {
        String state = k.revoked() ? "revoked" : k.retiredAt() == null ? "active" : "retired";
        out.printf("%-16s %-8s %s%n", k.keyId().substring(0, 16), state, k.window());
      }
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "rotate",
      description =
          "Generate a new signing key and make it the active one; the old key is retired (what it"
              + " signed still verifies). The operator signs with the new key within 30 s.")
  static final class Rotate implements Callable<Integer> {
    @ParentCommand KeysCommand keys;

    @Override
    public Integer call() {
      StellaCli cli = keys.cli;
      String ns = keys.operatorNamespace;
      EvidenceKeyring keyring = keyring(cli, ns);
      var pair = PemKeys.generateP256();
      String publicPem = PemKeys.publicKeyPem(pair.getPublic());
      Secret fresh =
          EvidencePublicKey.secret(ns, PemKeys.privateKeyPem(pair.getPrivate()), publicPem);
      // published first: evidence the operator signs with it must verify from the moment it can
      String keyId = PemKeys.keyId(pair.getPublic());
      EvidenceKeyring rotated = keyring.activate(keyId, publicPem, Instant.now());
      publish(cli, ns, rotated);
      // the Secret is immutable: replaced whole
      cli.client().secrets().inNamespace(ns).withName(EvidencePublicKey.SECRET).delete();
      try {
        cli.client().secrets().inNamespace(ns).resource(fresh).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        throw new CommandLine.ExecutionException(
            cli.spec.commandLine(),
            "the operator created a key of its own while the old one was being replaced; run"
                + " `kubectl stella keys rotate` again");
      }
      String retired =
          keyring
              .active()
              .map(k -> "; key " + k.keyId().substring(0, 16) + " is retired")
              .orElse("");
      cli.out()
          .printf(
              "Key %s is the active evidence signing key%s (what it signed still verifies)."
                  + " The operator signs with the new key within 30 s.%n",
              keyId.substring(0, 16), retired);
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "revoke",
      description =
          "Revoke a retired key: evidence it signed no longer verifies (rotate first to revoke the"
              + " active key).")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand KeysCommand keys;

    @Parameters(
        index = "0",
        paramLabel = "KEY_ID",
        description = "Key id, or its first 8+ characters.")
    String keyId;

    @Option(names = "--reason", required = true, description = "Why, recorded in the keyring.")
    String reason;

    @Override
    public Integer call() {
      StellaCli cli = keys.cli;
      EvidenceKeyring keyring = keyring(cli, keys.operatorNamespace);
      var key = find(cli, keyring, keyId);
      EvidenceKeyring revoked;
      try {
        revoked = keyring.revoke(key.keyId(), reason, Instant.now());
      } catch (IllegalStateException e) {
        throw new CommandLine.ParameterException(cli.spec.commandLine(), e.getMessage());
      }
      publish(cli, keys.operatorNamespace, revoked);
      cli.out()
          .printf(
              "Key %s is revoked: evidence it signed no longer verifies.%n",
              key.keyId().substring(0, 16));
      return 0;
    }
  }
}
