package io.stellaops.webhooks;

import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.stellaops.crds.common.Identity;
import java.util.List;

/** The authenticated identity of an admission request, as Stella records it. */
public final class Identities {
  private Identities() {}

  public static Identity of(UserInfo user) {
    List<String> groups =
        user.getGroups() == null ? List.of() : user.getGroups().stream().sorted().toList();
    return new Identity(
        user.getUsername(),
        user.getUid() == null || user.getUid().isEmpty() ? null : user.getUid(),
        groups);
  }
}
