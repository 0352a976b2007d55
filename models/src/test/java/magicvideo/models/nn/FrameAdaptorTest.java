package magicvideo.models.nn;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.Test;

public class FrameAdaptorTest {

  @Test
  public void appliesEachFramesScaleAndShiftToThatFrameOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      int batch = 2, frames = 3, channels = 2;
      FrameAdaptor adaptor = new FrameAdaptor(4, channels);
      adaptor.initialize(m, 0);
      // scale[f, c] = 10 f + c + 1, shift[f, c] = 100 (f + 1) + c
      float[] scale = new float[4 * channels];
      float[] shift = new float[4 * channels];
      for (int f = 0; f < 4; f++) {
        for (int c = 0; c < channels; c++) {
          scale[f * channels + c] = 10 * f + c + 1;
          shift[f * channels + c] = 100 * (f + 1) + c;
        }
      }
      adaptor.namedParameters().get("scale").array().set(scale);
      adaptor.namedParameters().get("shift").array().set(shift);

      NDArray x = m.ones(new Shape((long) batch * frames, channels, 2, 2));
      NDArray y = adaptor.forward(x, new Clip(batch, frames));
      for (int b = 0; b < batch; b++) {
        for (int f = 0; f < frames; f++) {
          for (int c = 0; c < channels; c++) {
            float expected = scale[f * channels + c] + shift[f * channels + c];
            float[] got = y.get(new NDIndex("{}, {}", b * frames + f, c)).toFloatArray();
            assertArrayEquals("batch " + b + " frame " + f + " channel " + c,
                new float[] {expected, expected, expected, expected}, got, 0f);
          }
        }
      }
    }
  }

  @Test
  public void freshAdaptorIsIdentity() {
    try (NDManager m = NDManager.newBaseManager()) {
      FrameAdaptor adaptor = new FrameAdaptor(4, 3);
      adaptor.initialize(m, 0);
      NDArray x = m.randomNormal(new Shape(8, 3, 4, 4));
      assertEquals(0f, adaptor.forward(x, new Clip(2, 4)).sub(x).abs().max().getFloat(), 0f);
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void refusesMoreFramesThanBuiltFor() {
    try (NDManager m = NDManager.newBaseManager()) {
      FrameAdaptor adaptor = new FrameAdaptor(2, 3);
      adaptor.initialize(m, 0);
      adaptor.forward(m.ones(new Shape(3, 3, 1, 1)), new Clip(1, 3));
    }
  }
}
