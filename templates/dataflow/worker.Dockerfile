# The GPU worker image (Dataflow Runner v2 custom container, passed as sdkContainerImage): Beam's
# Java 17 SDK image, whose /opt/apache/beam/boot entrypoint starts the SDK harness, plus libtorch
# built for CUDA, so that DJL runs the GPU stages (GenerateKeyframes, InterpolateLatents,
# DecodeVideo, UpscaleVideo) on the worker's GPU. The pipeline's code arrives as staged jars, as
# with Beam's own image.
#
# Why these versions: the fat jar holds DJL 0.36.0 with pytorch-jni 2.7.1-0.36.0, whose JNI library
# exists for exactly two linux-x86_64 flavors, cpu and cu128 (jnilib/linux-x86_64/<flavor>/ in that
# jar). With PYTORCH_LIBRARY_PATH set, DJL loads libtorch from there and takes the JNI library of
# PYTORCH_FLAVOR from the jar; any other CUDA flavor (cu124, cu126) would make it download one,
# which workers cannot. So: libtorch 2.7.1+cu128, flavor cu128. "shared-with-deps" carries the CUDA
# runtime, cuBLAS and cuDNN in libtorch/lib; the driver (libcuda) comes from the host, where
# Dataflow's install-nvidia-driver puts it under /usr/local/nvidia. CUDA 12.8 needs a driver >= 570
# (or >= 525 with CUDA's minor-version compatibility).
#
# Verified here (DataflowTemplateFilesTest): the Beam, DJL and PyTorch versions below equal the
# pom's; the jar on the classpath ships a JNI library for PYTORCH_FLAVOR and its jni_version is
# PYTORCH_VERSION-DJL_VERSION. Not verified here (no Docker engine, no network, no GPU): building
# the image, the libtorch URL, and DJL loading it on a GPU worker.
ARG BEAM_VERSION=2.70.0
ARG DJL_VERSION=0.36.0
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128

# Download and unpack outside the final image, which then carries neither curl nor the zip.
FROM debian:bookworm-slim AS libtorch
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && curl -fsSL -o /tmp/libtorch.zip \
        "https://download.pytorch.org/libtorch/${PYTORCH_FLAVOR}/libtorch-cxx11-abi-shared-with-deps-${PYTORCH_VERSION}%2B${PYTORCH_FLAVOR}.zip" \
    && unzip -q /tmp/libtorch.zip -d /opt \
    && test -f /opt/libtorch/lib/libtorch.so \
    && test -f /opt/libtorch/lib/libtorch_cuda.so

FROM apache/beam_java17_sdk:${BEAM_VERSION}
ARG BEAM_VERSION
ARG DJL_VERSION
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
LABEL org.apache.beam.version="${BEAM_VERSION}" \
      ai.djl.version="${DJL_VERSION}" \
      org.pytorch.version="${PYTORCH_VERSION}+${PYTORCH_FLAVOR}"

# Only the shared libraries: DJL needs no headers or CMake files.
COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib

# PYTORCH_LIBRARY_PATH makes DJL load this libtorch instead of the CPU build inside the fat jar;
# PYTORCH_VERSION and PYTORCH_FLAVOR name the JNI library it pairs with. DJL_CACHE_DIR is where DJL
# extracts that JNI library (writable by the harness). LD_LIBRARY_PATH finds the host's driver.
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    DJL_CACHE_DIR=/var/cache/djl \
    LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/opt/libtorch/lib
RUN mkdir -p /var/cache/djl && chmod 1777 /var/cache/djl

ENTRYPOINT ["/opt/apache/beam/boot"]
