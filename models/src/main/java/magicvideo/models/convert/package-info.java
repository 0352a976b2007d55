/**
 * Building MagicVideo models from pretrained weights.
 *
 * <p>{@link magicvideo.models.convert.InitFromStableDiffusion} turns a Stable Diffusion checkpoint
 * in the diffusers layout into a MagicVideo model directory, as the paper initialises its
 * networks from a text-to-image model:
 *
 * <pre>
 * init-from-sd --sd=stable-diffusion-v1-5 --output=models/magicvideo-sd15 [--frames=16]
 *     [--between=3] [--size=256] [--f16] [--upscaler=MODEL_DIR] [--seed=0]
 * </pre>
 *
 * <p>Configs are mapped field by field and anything our networks cannot represent is refused
 * naming the field; every weight file is checked (header only) before any is converted, so a
 * wrong checkpoint fails in a second with every unused, missing or misshapen tensor listed.
 */
package magicvideo.models.convert;
