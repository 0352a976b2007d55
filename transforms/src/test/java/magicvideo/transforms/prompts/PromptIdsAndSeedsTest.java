package magicvideo.transforms.prompts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

public class PromptIdsAndSeedsTest {
  @Test
  public void safeIdsAreFileNamesWithoutPathsOrDots() {
    for (String safe : new String[] {"a", "clip_001", "A.b-c", "7", "x".repeat(128)}) {
      assertTrue(safe, PromptIds.isSafe(safe));
    }
    String[] unsafe = {
      null,
      "",
      ".",
      "..",
      "../x",
      "a/b",
      "a\\b",
      "-rf",
      ".hidden",
      "a b",
      "caf\u00e9",
      "x".repeat(129)
    };
    for (String id : unsafe) {
      assertFalse(String.valueOf(id), PromptIds.isSafe(id));
    }
  }

  /** Fixed values: a change here silently changes every derived id, breaking --resume. */
  @Test
  public void derivedIdsAreAFixedFunctionOfFileLineAndPrompt() {
    assertEquals("26a92de527460095", PromptIds.derive("p.txt", 1, "a cat"));
    assertTrue(PromptIds.isSafe(PromptIds.derive("../../etc", 9, "/")));
  }

  @Test
  public void derivedIdsDifferByFileLineAndPrompt() {
    Set<String> ids = new HashSet<>();
    for (String file : new String[] {"a.txt", "b.txt"}) {
      for (long line = 1; line <= 50; line++) {
        ids.add(PromptIds.derive(file, line, "same prompt"));
        ids.add(PromptIds.derive(file, line, "other prompt"));
      }
    }
    assertEquals(200, ids.size());
  }

  @Test
  public void videoIdsAreSuffixedOnlyForSeveralVideos() {
    assertEquals("cat", PromptIds.forVideo("cat", 0, 1));
    assertEquals("cat-0", PromptIds.forVideo("cat", 0, 3));
    assertEquals("cat-2", PromptIds.forVideo("cat", 2, 3));
  }

  @Test
  public void derivedSeedsAreAFixedNonNegativeFunctionOfRunSeedAndId() {
    assertEquals(5503711311217626450L, PromptSeeds.derive(42, "abc"));
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      long seed = PromptSeeds.derive(7, "id" + i);
      assertTrue(seed >= 0);
      seeds.add(seed);
    }
    assertEquals(1000, seeds.size());
    assertNotEquals(PromptSeeds.derive(1, "abc"), PromptSeeds.derive(2, "abc"));
  }

  @Test
  public void videoSeedsCountUpFromTheBaseAndStayNonNegative() {
    assertEquals(10, PromptSeeds.forVideo(10, 0));
    assertEquals(12, PromptSeeds.forVideo(10, 2));
    assertEquals(0, PromptSeeds.forVideo(Long.MAX_VALUE, 1));
  }
}
