package magicvideo.models.generate;

/** Component names of a MagicVideo model directory (keys of model.json's components). */
public final class ModelComponents {
  public static final String TEXT_ENCODER = "text_encoder";
  public static final String KEYFRAME_UNET = "keyframe_unet";
  public static final String INTERPOLATION_UNET = "interpolation_unet";
  public static final String VAE = "vae";
  public static final String SUPERRES_UNET = "superres_unet";

  private ModelComponents() {}
}
