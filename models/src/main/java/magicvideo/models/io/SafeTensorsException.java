package magicvideo.models.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A safetensors file that is malformed, or does not hold the tensors a network expects. The
 * message always names the file, and the tensor when the problem belongs to one.
 */
public final class SafeTensorsException extends IOException {

  private final Path file;
  private final String tensor;

  SafeTensorsException(Path file, String tensor, String problem) {
    super(file + ": " + (tensor == null ? "" : "tensor '" + tensor + "': ") + problem);
    this.file = file;
    this.tensor = tensor;
  }

  SafeTensorsException(Path file, String problem) {
    this(file, null, problem);
  }

  public Path file() {
    return file;
  }

  /** The tensor the problem belongs to, empty for file-level problems (header, length). */
  public Optional<String> tensor() {
    return Optional.ofNullable(tensor);
  }
}
