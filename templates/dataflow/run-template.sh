#!/usr/bin/env bash
# Runs the MagicVideo Flex Template (built by build-template.sh) as a Dataflow job on GPU workers.
#
#   PROJECT=my-project REGION=us-central1 BUCKET=my-bucket templates/dataflow/run-template.sh \
#       --prompts=gs://my-bucket/prompts/*.jsonl --output=gs://my-bucket/runs/r1 \
#       --model=gs://my-bucket/models/magicvideo [--name=value ...]
#
# Each --name=value (or --name for true) becomes a template parameter: any option of
# metadata.json, e.g. --steps=50 --sampler=ddim --resume. Rerunning with new parameters is the same
# command with other values; OUT/run.json records every parameter of a launch.
#
# Variables: see names.sh, and
#   ACCELERATOR   the GPU of the GPU steps (default: type:nvidia-l4;count:1;install-nvidia-driver)
#   MACHINE_TYPE  worker machine type; L4 GPUs need G2 machines (default: g2-standard-8)
#   MAX_WORKERS   autoscaling limit (default: 4)
#   JOB_NAME      default: magicvideo-<UTC time>
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=names.sh
source "$here/names.sh"

ACCELERATOR="${ACCELERATOR:-type:nvidia-l4;count:1;install-nvidia-driver}"
MACHINE_TYPE="${MACHINE_TYPE:-g2-standard-8}"
MAX_WORKERS="${MAX_WORKERS:-4}"
JOB_NAME="${JOB_NAME:-magicvideo-$(date -u +%Y%m%d-%H%M%S)}"

# gcloud splits --parameters at commas; "^~^" makes '~' the separator instead, so that values may
# hold commas (a negative prompt, a list of globs).
parameters="^~^accelerator=${ACCELERATOR}~sdkContainerImage=${WORKER_IMAGE}"
for arg in "$@"; do
  case "$arg" in
    --*=*) parameter="${arg#--}" ;;
    --*) parameter="${arg#--}=true" ;;
    *)
      echo "run-template.sh: '$arg' is not a --name=value parameter" >&2
      exit 2
      ;;
  esac
  if [[ "$parameter" == *"~"* ]]; then
    echo "run-template.sh: '$arg' holds '~', the parameter separator" >&2
    exit 2
  fi
  parameters+="~${parameter}"
done

gcloud dataflow flex-template run "$JOB_NAME" \
  --project="$PROJECT" \
  --region="$REGION" \
  --template-file-gcs-location="$TEMPLATE" \
  --staging-location="gs://${BUCKET}/staging" \
  --temp-location="gs://${BUCKET}/tmp" \
  --worker-machine-type="$MACHINE_TYPE" \
  --max-workers="$MAX_WORKERS" \
  --parameters="$parameters"
