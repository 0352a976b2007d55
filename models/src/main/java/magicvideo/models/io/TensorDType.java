package magicvideo.models.io;

/**
 * The safetensors element types this project knows. F32 and F16 are weights: both are read into
 * float32, the type every network here computes in on CPU, and both can be written. I64 is
 * recognised in headers only, because Hugging Face text encoders store their
 * {@code position_ids} buffer (0..76) as I64 beside the weights: such a file opens, its
 * buffer can be listed and skipped, and reading it as weights is refused. BF16 is deliberately
 * absent: DJL's PyTorch engine aborts the JVM on bfloat16 arrays, and a checkpoint in BF16 must
 * be converted before use.
 */
public enum TensorDType {
  F32(4, true),
  F16(2, true),
  I64(8, false);

  private final int bytes;
  private final boolean weights;

  TensorDType(int bytes, boolean weights) {
    this.bytes = bytes;
    this.weights = weights;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether tensors of this type are weights: read as float32 and writable. */
  public boolean holdsWeights() {
    return weights;
  }
}
