package magicvideo.models.generate;

/**
 * Told the wall time of every network forward pass a {@link VideoGenerator} runs, so a benchmark
 * can split a stage's time into the networks and everything around them (noise, samplers,
 * guidance, copies). Called on the generating thread. On the CPU the time is the computation's;
 * GPU kernels run asynchronously, so there time the stages instead.
 */
@FunctionalInterface
public interface ForwardPassListener {
  /** The default: nothing listens. */
  ForwardPassListener NONE = (component, nanos) -> {};

  /**
   * @param component the model.json component that ran ({@link ModelComponents}' names)
   * @param nanos wall time of the pass
   */
  void forwardPass(String component, long nanos);
}
