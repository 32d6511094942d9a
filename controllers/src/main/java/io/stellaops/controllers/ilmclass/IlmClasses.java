package io.stellaops.controllers.ilmclass;

import io.stellaops.controllers.archive.Retention;
import io.stellaops.crds.ilmclass.IlmClass;
import java.util.Comparator;
import java.util.List;

/**
 * Which IlmClass governs an object: the one it names (itself, its Environment or its Release), else
 * the default class. A name that matches no class keeps the object (a typo must not shorten
 * retention to the default's), except the name {@code default}, which evidence carries when no
 * class was marked default at the time and now means whichever class is.
 */
final class IlmClasses {
  static final String DEFAULT = "default";

  private final List<IlmClass> classes;
  private final IlmClass defaultClass;

  IlmClasses(List<IlmClass> classes) {
    this.classes =
        classes.stream().sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
    this.defaultClass =
        this.classes.stream()
            .filter(c -> Boolean.TRUE.equals(c.getSpec().isDefault()))
            .findFirst()
            .orElse(null);
  }

  /** The class governing an object that names {@code named} (null: none); null when none does. */
  IlmClass resolve(String named) {
    if (named == null || named.isBlank()) {
      return defaultClass;
    }
    for (IlmClass c : classes) {
      if (c.getMetadata().getName().equals(named)) {
        return c;
      }
    }
    return named.equals(DEFAULT) ? defaultClass : null;
  }

  /** The class used for objects that name none, if any. */
  IlmClass defaultClass() {
    return defaultClass;
  }

  /** Why {@code cls} is not what it claims to be, null when it is. */
  String problem(IlmClass cls) {
    if (Boolean.TRUE.equals(cls.getSpec().isDefault())
        && !cls.getMetadata().getName().equals(defaultClass.getMetadata().getName())) {
      return "IlmClass "
          + defaultClass.getMetadata().getName()
          + " is the default too and comes first by name: objects that name no class are"
          + " governed by it, not by this one";
    }
    try {
      Retention.parse(cls.getSpec().retention());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }
}
