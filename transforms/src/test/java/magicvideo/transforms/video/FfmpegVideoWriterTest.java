package magicvideo.transforms.video;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FfmpegVideoWriterTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void misspeltEncoderOptionIsAnErrorNotIgnored() {
    Path file = folder.getRoot().toPath().resolve("x.webm");
    VideoCodecException e = assertThrows(VideoCodecException.class,
        () -> new FfmpegVideoWriter(file, VideoFormat.WEBM, 32, 32, 8, Map.of("crff", "30")));
    assertThat(e.getMessage(), containsString("libvpx-vp9 does not know the options [crff=30]"));
  }
}
