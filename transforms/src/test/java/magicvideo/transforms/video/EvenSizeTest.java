package magicvideo.transforms.video;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import magicvideo.models.VideoFrames;
import org.junit.Test;

public class EvenSizeTest {

  @Test
  public void evenClipIsReturnedAsIs() {
    VideoFrames clip = SyntheticClips.movingSquare(2, 4, 6, 8);
    assertSame(clip, EvenSize.pad(clip));
  }

  @Test
  public void oddSidesRepeatTheLastColumnAndRow() {
    // one frame, 3 rows x 1 column, pixel values 1..9
    VideoFrames clip = new VideoFrames(1, 3, 1, 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    VideoFrames padded = EvenSize.pad(clip);
    assertEquals(4, padded.height());
    assertEquals(2, padded.width());
    assertArrayEquals(new byte[] {
        1, 2, 3, 1, 2, 3,
        4, 5, 6, 4, 5, 6,
        7, 8, 9, 7, 8, 9,
        7, 8, 9, 7, 8, 9}, padded.rgb());
  }

  @Test
  public void everyFrameIsPadded() {
    VideoFrames clip = SyntheticClips.movingSquare(3, 5, 7, 8);
    VideoFrames padded = EvenSize.pad(clip);
    for (int f = 0; f < 3; f++) {
      byte[] src = clip.frame(f);
      byte[] dst = padded.frame(f);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          for (int c = 0; c < 3; c++) {
            assertEquals(src[(y * 7 + x) * 3 + c], dst[(y * 8 + x) * 3 + c]);
          }
        }
      }
    }
  }
}
