package magicvideo.transforms.video;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import magicvideo.models.VideoFrames;
import org.junit.Test;

public class VideoQualityTest {

  @Test
  public void identicalClipsHaveInfinitePsnr() {
    VideoFrames clip = SyntheticClips.movingSquare(2, 8, 8, 8);
    assertEquals(Double.POSITIVE_INFINITY, VideoQuality.psnr(clip, clip), 0);
  }

  @Test
  public void offByOneEverywhereIs48Db() {
    byte[] ones = new byte[2 * 4 * 4 * 3];
    java.util.Arrays.fill(ones, (byte) 1);
    VideoFrames zero = new VideoFrames(2, 4, 4, 8, new byte[ones.length]);
    VideoFrames one = new VideoFrames(2, 4, 4, 8, ones);
    assertEquals(20 * Math.log10(255), VideoQuality.psnr(zero, one), 1e-9);
  }

  @Test
  public void differentShapesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> VideoQuality.psnr(
        SyntheticClips.movingSquare(2, 8, 8, 8), SyntheticClips.movingSquare(3, 8, 8, 8)));
  }
}
