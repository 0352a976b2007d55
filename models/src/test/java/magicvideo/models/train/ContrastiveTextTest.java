package magicvideo.models.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import magicvideo.models.sampling.SeededNoise;
import org.junit.After;
import org.junit.Test;

public class ContrastiveTextTest {
  private final NDManager manager = NDManager.newBaseManager();

  @After
  public void close() {
    manager.close();
  }

  /** Clip i matches text j when both show the same caption. */
  private static boolean[][] sameCaption(int... caption) {
    boolean[][] matches = new boolean[caption.length][caption.length];
    for (int i = 0; i < caption.length; i++) {
      for (int j = 0; j < caption.length; j++) {
        matches[i][j] = caption[i] == caption[j];
      }
    }
    return matches;
  }

  private NDArray basis(int... rows) {
    float[] v = new float[rows.length * 4];
    for (int i = 0; i < rows.length; i++) {
      v[i * 4 + rows[i]] = 1f;
    }
    return manager.create(v, new Shape(rows.length, 4));
  }

  /**
   * Clips that point exactly at their own prompts cost (almost) nothing; the same embeddings paired
   * wrongly cost the full logit scale; two clips of one caption split their target between both of
   * its prompts, so identical embeddings of a repeated caption cost exactly log 2 per row and side.
   */
  @Test
  public void scoresMatchesMismatchesAndRepeatedCaptions() {
    ContrastiveText head = new ContrastiveText(2, 1, 2, 4, 4);
    NDArray three = basis(0, 1, 2);
    assertEquals(0f, head.loss(manager, three, three, sameCaption(0, 1, 2)).getFloat(), 1e-5f);
    float wrong = head.loss(manager, three, basis(1, 2, 0), sameCaption(0, 1, 2)).getFloat();
    assertEquals(ContrastiveText.LOGIT_SCALE, wrong, 1e-3f);

    NDArray repeated = basis(0, 0, 2);
    float expected = (float) (4 * Math.log(2) / 6);
    assertEquals(expected, head.loss(manager, repeated, repeated, sameCaption(5, 5, 9)).getFloat(), 1e-5f);
    // as different captions, the two clips could not be told apart: worse
    assertTrue(head.loss(manager, repeated, repeated, sameCaption(5, 6, 9)).getFloat() > expected);
  }

  /** Both towers give unit vectors of the joint width; the clip tower refuses another clip shape. */
  @Test
  public void embedsClipsAndTextsAsUnitVectors() {
    ContrastiveText head = new ContrastiveText(16, 4, 8, 64, 32);
    head.initialize(manager, 1);
    NDArray clips = head.embedClips(SeededNoise.forSeed(1).gaussian(manager, new Shape(3, 16, 4, 8, 8)));
    NDArray texts = head.embedTexts(SeededNoise.forSeed(2).gaussian(manager, new Shape(3, 64)));
    for (NDArray e : new NDArray[] {clips, texts}) {
      assertEquals(new Shape(3, 32), e.getShape());
      float[] norms = e.square().sum(new int[] {1}).toFloatArray();
      for (float n : norms) {
        assertEquals(1f, n, 1e-4f);
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> head.embedClips(manager.zeros(new Shape(3, 15, 4, 8, 8))));
    assertTrue(e.getMessage(), e.getMessage().contains("(batch, 16, 4, 8, 8)"));
  }
}
