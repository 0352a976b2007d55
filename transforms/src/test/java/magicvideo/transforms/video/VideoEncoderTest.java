package magicvideo.transforms.video;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import magicvideo.models.VideoFrames;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class VideoEncoderTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** Codec losses only; measured 35-36 dB (H.264) and 38-41 dB (VP9) on these clips. */
  private static final double MIN_PSNR_DB = 32;

  /**
   * An untrained model's frames are close to noise. OpenH264's quality rate control refused such
   * clips at 64x64 and 128x128 ("EncodeFrame ... kiEncoderReturn 3"); with rate control off it
   * encodes them. Every size the models make must encode.
   */
  @Test
  public void noiseClipsEncodeAtEverySize() throws Exception {
    for (int size : new int[] {32, 64, 128}) {
      byte[] rgb = new byte[12 * size * size * 3];
      new java.util.Random(size).nextBytes(rgb);
      byte[] mp4 = VideoEncoder.encode(new VideoFrames(12, size, size, 8, rgb), VideoFormat.MP4);
      assertEquals(12, VideoProbe.probe(mp4).frames());
    }
  }

  @Test
  public void mp4IsH264WithEveryFrameSizeAndRate() {
    assertRoundTrip(SyntheticClips.movingSquare(16, 64, 64, 8), VideoFormat.MP4);
    assertRoundTrip(SyntheticClips.movingSquare(61, 128, 128, 24), VideoFormat.MP4);
  }

  @Test
  public void webmIsVp9WithEveryFrameSizeAndRate() {
    assertRoundTrip(SyntheticClips.movingSquare(16, 64, 64, 8), VideoFormat.WEBM);
    assertRoundTrip(SyntheticClips.movingSquare(61, 128, 128, 24), VideoFormat.WEBM);
  }

  @Test
  public void tinyFramesEncode() {
    for (VideoFormat format : VideoFormat.values()) {
      VideoFrames clip = SyntheticClips.movingSquare(4, 32, 32, 12.5);
      VideoInfo info = VideoProbe.probe(VideoEncoder.encode(clip, format));
      assertEquals(format.toString(), new VideoInfo(format.codec(), 4, 32, 32, 12.5), info);
    }
  }

  @Test
  public void sameFramesGiveIdenticalBytes() {
    VideoFrames clip = SyntheticClips.movingSquare(16, 64, 64, 8);
    for (VideoFormat format : VideoFormat.values()) {
      byte[] first = VideoEncoder.encode(clip, format);
      byte[] again = VideoEncoder.encode(clip, format);
      assertArrayEquals(format + " output changed between runs", first, again);
      byte[] otherClip = VideoEncoder.encode(SyntheticClips.movingSquare(16, 64, 64, 12), format);
      assertFalse(format + " ignored its input", Arrays.equals(first, otherClip));
    }
  }

  @Test
  public void concurrentEncodesMatchSerialOnes() throws Exception {
    VideoFrames clip = SyntheticClips.movingSquare(16, 64, 64, 8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (VideoFormat format : VideoFormat.values()) {
        byte[] serial = VideoEncoder.encode(clip, format);
        List<Future<byte[]>> parallel = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          parallel.add(pool.submit(() -> VideoEncoder.encode(clip, format)));
        }
        for (Future<byte[]> result : parallel) {
          assertArrayEquals(format + " differs when encoded alongside others", serial,
              result.get());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void oddSizedMp4IsPaddedToEvenAndWebmKeepsItsSize() {
    VideoFrames clip = SyntheticClips.movingSquare(4, 33, 31, 8);
    VideoInfo mp4 = VideoProbe.probe(VideoEncoder.encode(clip, VideoFormat.MP4));
    assertEquals(new VideoInfo("h264", 4, 32, 34, 8), mp4);
    VideoInfo webm = VideoProbe.probe(VideoEncoder.encode(clip, VideoFormat.WEBM));
    assertEquals(new VideoInfo("vp9", 4, 31, 33, 8), webm);
  }

  @Test
  public void probeAndDecodeReadFilesLikeBytes() throws Exception {
    VideoFrames clip = SyntheticClips.movingSquare(4, 32, 32, 8);
    byte[] video = VideoEncoder.encode(clip, VideoFormat.WEBM);
    Path file = folder.newFile("clip.webm").toPath();
    Files.write(file, video);
    assertEquals(VideoProbe.probe(video), VideoProbe.probe(file));
    assertEquals(VideoProbe.decode(video), VideoProbe.decode(file));
  }

  @Test
  public void garbageIsRejectedWithTheSourceNamed() {
    VideoCodecException e = assertThrows(VideoCodecException.class,
        () -> VideoProbe.probe(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}));
    assertThat(e.getMessage(), containsString("video bytes"));
  }

  private static void assertRoundTrip(VideoFrames clip, VideoFormat format) {
    byte[] video = VideoEncoder.encode(clip, format);
    VideoFrames decoded = VideoProbe.decode(video);
    assertEquals(new VideoInfo(format.codec(), clip.frames(), clip.width(), clip.height(),
        clip.fps()), VideoProbe.probe(video));
    assertEquals(clip.fps(), decoded.fps(), 1e-9);
    assertThat(format + " " + clip.width() + "x" + clip.height() + " PSNR",
        VideoQuality.psnr(clip, decoded), greaterThan(MIN_PSNR_DB));
  }
}
