# The Flex Template launcher image. Dataflow starts it on a launcher VM for every launch of the
# template; Google's Java 17 launcher base runs FLEX_TEMPLATE_JAVA_MAIN_CLASS with the launch's
# parameters as --name=value flags, plus --templateLocation, so DataflowRunner writes the job graph
# for Dataflow to run instead of running it (MagicVideoPipeline.run handles that result and writes
# OUT/run.json with state LAUNCHED).
#
# Build context: a folder holding only this file (as Dockerfile) and the fat jar, which
# build-template.sh assembles after `mvn -B -DskipTests -pl pipeline -am package`.
#
# Verified here: the main class exists and the jar name is the shade plugin's outputFile
# (DataflowTemplateFilesTest); the graph the launcher writes (MagicVideoPipelineDataflowTest).
# Not verified here (no Docker engine, no Google Cloud): building this image and launching it.
FROM gcr.io/dataflow-templates-base/java17-template-launcher-base:latest

ARG WORKDIR=/template
WORKDIR ${WORKDIR}
COPY magicvideo.jar ${WORKDIR}/magicvideo.jar

ENV FLEX_TEMPLATE_JAVA_MAIN_CLASS="magicvideo.pipeline.MagicVideoPipeline"
ENV FLEX_TEMPLATE_JAVA_CLASSPATH="${WORKDIR}/magicvideo.jar"

ENTRYPOINT ["/opt/google/dataflow/java_template_launcher"]
