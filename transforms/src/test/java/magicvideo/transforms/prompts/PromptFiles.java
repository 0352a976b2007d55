package magicvideo.transforms.prompts;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPOutputStream;

/** Writes prompt files for tests. */
final class PromptFiles {
  private PromptFiles() {}

  static File write(File folder, String name, String content) throws IOException {
    return write(folder, name, content.getBytes(StandardCharsets.UTF_8));
  }

  static File write(File folder, String name, byte[] content) throws IOException {
    File file = new File(folder, name);
    Files.write(file.toPath(), content);
    return file;
  }

  static File writeGzip(File folder, String name, String content) throws IOException {
    File file = new File(folder, name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.toPath()))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  /** Bytes of {@code before}, then the given raw bytes, then {@code after}, all UTF-8. */
  static byte[] withRawBytes(String before, byte[] raw, String after) {
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + raw.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(raw, 0, all, head.length, raw.length);
    System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
    return all;
  }
}
