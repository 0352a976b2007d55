/**
 * Weight files and model directories.
 *
 * <p>Weights are stored as safetensors ({@link magicvideo.models.io.SafeTensors}, read with
 * {@link magicvideo.models.io.SafeTensorsReader}): plain data, never pickle, so loading a model
 * cannot run code. Tensor names follow the diffusers / transformers state-dict keys
 * ({@code down_blocks.0.resnets.0.conv1.weight}), so a network's parameter map and a converted
 * Stable Diffusion checkpoint line up without a rename table. F32 and F16 are read (into
 * float32) and written; I64 (HF's position_ids buffer) is listed in headers so it can be
 * skipped, but never read or written as weights; BF16 and other types are refused with
 * "unsupported dtype".
 *
 * <p>A model directory ({@link magicvideo.models.io.ModelDirectory}) looks like this:
 *
 * <pre>
 * model/
 *   model.json                 name, version, description; per component and for the
 *                              tokenizer: config, file, sha256, bytes
 *   text_encoder.safetensors   one weights file per component
 *   keyframe_unet.safetensors
 *   interpolation_unet.safetensors
 *   vae.safetensors
 *   superres_unet.safetensors
 *   tokenizer.json             a Hugging Face tokenizer file
 * </pre>
 *
 * <p>Opening a directory checks every file's size and SHA-256 against model.json; the SHA-256 of
 * model.json itself is the model's fingerprint, recorded in run manifests. Directories are
 * written in a staging directory and renamed into place, files through
 * {@link magicvideo.models.io.AtomicFiles}, so nothing partial is ever visible under a final
 * name.
 */
package magicvideo.models.io;
