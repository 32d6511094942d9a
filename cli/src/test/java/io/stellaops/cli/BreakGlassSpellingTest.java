package io.stellaops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stellaops.crds.common.BreakGlassType;
import org.junit.jupiter.api.Test;

class BreakGlassSpellingTest {
  private final PromoteCommand.BreakGlassSpelling spelling =
      new PromoteCommand.BreakGlassSpelling();

  @Test
  void acceptsTheSpellingEnvironmentsUseInAnyCase() {
    assertThat(spelling.convert("SecurityFix")).isEqualTo(BreakGlassType.SECURITY_FIX);
    assertThat(spelling.convert("rollback")).isEqualTo(BreakGlassType.ROLLBACK);
    assertThat(spelling.convert("SECURITY_FIX")).isEqualTo(BreakGlassType.SECURITY_FIX);
    assertThat(spelling).containsExactly("Rollback", "SecurityFix");
  }

  @Test
  void namesTheChoicesWhenTheValueIsNoneOfThem() {
    assertThatThrownBy(() -> spelling.convert("Hotfix"))
        .hasMessage("expected one of Rollback, SecurityFix but was 'Hotfix'");
  }
}
