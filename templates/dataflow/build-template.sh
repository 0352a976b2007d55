#!/usr/bin/env bash
# Builds the MagicVideo Dataflow Flex Template:
#   1. the fat jar (pipeline/target/magicvideo.jar) and metadata.json regenerated from it,
#   2. the launcher image (launcher.Dockerfile) and the GPU worker image (worker.Dockerfile), with a
#      local Docker engine when one runs, else with Cloud Build, pushed to Artifact Registry,
#   3. the template spec in Cloud Storage (gcloud dataflow flex-template build).
#
#   PROJECT=my-project REGION=us-central1 BUCKET=my-bucket templates/dataflow/build-template.sh
#
# Variables: see names.sh. Needs gcloud (authenticated), Java 17 and Maven; the Artifact Registry
# repository must exist (gcloud artifacts repositories create magicvideo
# --repository-format=docker --location=REGION).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=names.sh
source "$here/names.sh"

jar="$root/pipeline/target/magicvideo.jar"

# build_image DOCKERFILE IMAGE [FILE...]: builds IMAGE from a context holding only the Dockerfile
# and FILEs (the repository's target/ folders would otherwise be uploaded), then pushes it.
build_image() {
  local dockerfile="$1" image="$2"
  shift 2
  local context
  context="$(mktemp -d)"
  cp "$dockerfile" "$context/Dockerfile"
  if (($# > 0)); then
    cp "$@" "$context/"
  fi
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    docker build -t "$image" "$context"
    docker push "$image"
  else
    # the worker image downloads and unpacks libtorch (about 3 GB): give it time
    gcloud builds submit "$context" --project="$PROJECT" --region="$REGION" --tag="$image" \
      --timeout=3600s
  fi
  rm -rf "$context"
}

echo "1/3 fat jar and metadata" >&2
(cd "$root" && mvn -B -q -DskipTests -pl pipeline -am package)
java -cp "$jar" magicvideo.pipeline.templates.FlexTemplateMetadata "$here/metadata.json"

echo "2/3 images $LAUNCHER_IMAGE and $WORKER_IMAGE" >&2
build_image "$here/launcher.Dockerfile" "$LAUNCHER_IMAGE" "$jar"
build_image "$here/worker.Dockerfile" "$WORKER_IMAGE"

echo "3/3 template $TEMPLATE" >&2
# Runner v2 for every launch: custom worker containers and per-step accelerator hints need it.
gcloud dataflow flex-template build "$TEMPLATE" \
  --project="$PROJECT" \
  --image="$LAUNCHER_IMAGE" \
  --sdk-language=JAVA \
  --metadata-file="$here/metadata.json" \
  --additional-experiments=use_runner_v2

echo "Built $TEMPLATE (worker image $WORKER_IMAGE). Run it with templates/dataflow/run-template.sh." >&2
