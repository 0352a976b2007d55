package magicvideo.models.io;

/**
 * The safetensors element types this project reads and writes. Both are read into float32, the
 * type every network here computes in on CPU. BF16 is deliberately absent: DJL's PyTorch engine
 * aborts the JVM on bfloat16 arrays, and a checkpoint in BF16 must be converted before use.
 */
public enum TensorDType {
  F32(4),
  F16(2);

  private final int bytes;

  TensorDType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }
}
