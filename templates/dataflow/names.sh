# Names shared by build-template.sh and run-template.sh; sourced, not run.
#   PROJECT     Google Cloud project id (required)
#   REGION      Dataflow and Artifact Registry region, e.g. us-central1 (required)
#   BUCKET      Cloud Storage bucket for the template spec, staging and temp files, no gs:// (required)
#   REPOSITORY  Artifact Registry Docker repository in REGION (default: magicvideo)
#   TAG         image and template version (default: latest); pin it to rerun a run exactly
: "${PROJECT:?set PROJECT to your Google Cloud project id}"
: "${REGION:?set REGION, e.g. us-central1}"
: "${BUCKET:?set BUCKET to a Cloud Storage bucket name, without gs://}"
REPOSITORY="${REPOSITORY:-magicvideo}"
TAG="${TAG:-latest}"
IMAGES="${REGION}-docker.pkg.dev/${PROJECT}/${REPOSITORY}"
LAUNCHER_IMAGE="${IMAGES}/launcher:${TAG}"
WORKER_IMAGE="${IMAGES}/worker:${TAG}"
TEMPLATE="gs://${BUCKET}/templates/magicvideo-${TAG}.json"
