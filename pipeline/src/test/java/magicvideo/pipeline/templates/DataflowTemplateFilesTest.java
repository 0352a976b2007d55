package magicvideo.pipeline.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What can be checked of templates/dataflow/ without a Docker engine or Google Cloud: the files are
 * there, the scripts parse, the paths and class names they use exist, the versions the images pin
 * are the pom's, DJL can pair the worker's libtorch with its JNI library, and run-template.sh hands
 * gcloud the parameters it was given (run against a stand-in gcloud that records its arguments).
 */
public class DataflowTemplateFilesTest {
  private static final List<String> FILES =
      List.of(
          "README.md",
          "metadata.json",
          "launcher.Dockerfile",
          "worker.Dockerfile",
          "names.sh",
          "build-template.sh",
          "run-template.sh");

  private static final Pattern ARG = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)$");
  private static final Pattern ENV = Pattern.compile("(?m)^ENV (\\w+)=\"?([^\"\\s]+)\"?$");

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void everyFileIsThereAndTheScriptsParse() throws Exception {
    for (String file : FILES) {
      assertTrue(file + " is missing", Files.isRegularFile(RepoFiles.dataflow().resolve(file)));
    }
    for (String script : List.of("names.sh", "build-template.sh", "run-template.sh")) {
      Path path = RepoFiles.dataflow().resolve(script);
      Process bash = new ProcessBuilder("bash", "-n", path.toString()).redirectErrorStream(true)
          .start();
      String output = new String(bash.getInputStream().readAllBytes());
      assertTrue(script + " did not parse in time", bash.waitFor(10, TimeUnit.SECONDS));
      assertEquals(script + ": " + output, 0, bash.exitValue());
    }
    for (String script : List.of("build-template.sh", "run-template.sh")) {
      assertTrue(script + " is executable", Files.isExecutable(RepoFiles.dataflow().resolve(script)));
    }
  }

  @Test
  public void launcherRunsTheShadedJarsMainClass() throws Exception {
    String dockerfile = RepoFiles.read(RepoFiles.dataflow().resolve("launcher.Dockerfile"));
    Map<String, String> env = matches(ENV, dockerfile);
    String jar = RepoFiles.shadedJarName();

    assertThat(
        dockerfile,
        containsString("FROM gcr.io/dataflow-templates-base/java17-template-launcher-base"));
    assertThat(dockerfile, containsString("\nCOPY " + jar + " "));
    assertEquals("${WORKDIR}/" + jar, env.get("FLEX_TEMPLATE_JAVA_CLASSPATH"));
    String mainClass = env.get("FLEX_TEMPLATE_JAVA_MAIN_CLASS");
    assertEquals("the fat jar's own main class", RepoFiles.shadedJarMainClass(), mainClass);
    Method main = Class.forName(mainClass).getMethod("main", String[].class);
    assertTrue(mainClass + ".main is public static", Modifier.isStatic(main.getModifiers()));
  }

  @Test
  public void buildScriptStagesWhatTheDockerfilesUse() throws Exception {
    String script = RepoFiles.read(RepoFiles.dataflow().resolve("build-template.sh"));

    assertThat(script, containsString("jar=\"$root/pipeline/target/" + RepoFiles.shadedJarName()
        + "\""));
    assertThat(script, containsString("build_image \"$here/launcher.Dockerfile\" \"$LAUNCHER_IMAGE\" \"$jar\""));
    assertThat(script, containsString("build_image \"$here/worker.Dockerfile\" \"$WORKER_IMAGE\""));
    assertThat(script, containsString("--metadata-file=\"$here/metadata.json\""));
    Matcher files = Pattern.compile("\"\\$here/([\\w.-]+)\"").matcher(script);
    while (files.find()) {
      assertTrue(files.group(1), Files.isRegularFile(RepoFiles.dataflow().resolve(files.group(1))));
    }
    Matcher classes =
        Pattern.compile("\\b(magicvideo(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*)\\b").matcher(script);
    assertTrue("the script names the metadata generator", classes.find());
    classes.reset();
    while (classes.find()) {
      Class.forName(classes.group(1)).getMethod("main", String[].class);
    }
  }

  @Test
  public void workerImagePinsThePomsVersions() throws Exception {
    String dockerfile = RepoFiles.read(RepoFiles.dataflow().resolve("worker.Dockerfile"));
    Map<String, String> args = matches(ARG, dockerfile);

    assertEquals(RepoFiles.parentPomProperty("beam.version"), args.get("BEAM_VERSION"));
    assertEquals("the harness must be the pipeline's Beam",
        ReleaseInfo.getReleaseInfo().getSdkVersion(), args.get("BEAM_VERSION"));
    assertEquals(RepoFiles.parentPomProperty("djl.version"), args.get("DJL_VERSION"));
    assertEquals(
        RepoFiles.parentPomProperty("pytorch.native.version"), args.get("PYTORCH_VERSION"));
    assertThat(dockerfile, containsString("\nFROM apache/beam_java17_sdk:${BEAM_VERSION}\n"));
    assertThat(dockerfile, containsString("\nENTRYPOINT [\"/opt/apache/beam/boot\"]\n"));
    assertThat(dockerfile, containsString(
        "https://download.pytorch.org/libtorch/${PYTORCH_FLAVOR}/libtorch-cxx11-abi-shared-with-deps-"
            + "${PYTORCH_VERSION}%2B${PYTORCH_FLAVOR}.zip"));
    assertThat(dockerfile, containsString("COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib"));
    assertThat(dockerfile, containsString("ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \\"));
    assertThat(dockerfile, containsString("PYTORCH_VERSION=${PYTORCH_VERSION} \\"));
    assertThat(dockerfile, containsString("PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \\"));
  }

  /**
   * With PYTORCH_LIBRARY_PATH set, DJL takes the JNI library for PYTORCH_FLAVOR from the
   * pytorch-jni jar, after checking the jar's jni_version is PYTORCH_VERSION-DJL_VERSION; for a
   * flavor the jar lacks it would download one, which workers cannot.
   */
  @Test
  public void djlShipsAJniLibraryForTheWorkersLibtorch() throws Exception {
    Map<String, String> args =
        matches(ARG, RepoFiles.read(RepoFiles.dataflow().resolve("worker.Dockerfile")));
    Properties jni = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/jnilib/pytorch.properties")) {
      assertNotNull("pytorch-jni is on the classpath", in);
      jni.load(in);
    }

    assertThat(
        jni.getProperty("jni_version"),
        startsWith(args.get("PYTORCH_VERSION") + "-" + args.get("DJL_VERSION")));
    String library = "/jnilib/linux-x86_64/" + args.get("PYTORCH_FLAVOR") + "/libdjl_torch.so";
    try (InputStream in = getClass().getResourceAsStream(library)) {
      assertNotNull("pytorch-jni has no " + library, in);
    }
  }

  @Test
  public void runScriptHandsGcloudTheParametersItWasGiven() throws Exception {
    Path bin = folder.newFolder("bin").toPath();
    Path recorded = folder.getRoot().toPath().resolve("gcloud-args");
    Path gcloud = bin.resolve("gcloud");
    Files.writeString(gcloud, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$RECORD\"\n");
    assertTrue(gcloud.toFile().setExecutable(true));
    ProcessBuilder run =
        new ProcessBuilder(
                "bash",
                RepoFiles.dataflow().resolve("run-template.sh").toString(),
                "--prompts=gs://b/prompts/*.jsonl",
                "--output=gs://b/runs/r1",
                "--model=gs://b/models/m",
                "--negativePrompt=blurry, dark",
                "--resume")
            .redirectErrorStream(true);
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment().put("RECORD", recorded.toString());
    run.environment().putAll(Map.of("PROJECT", "p", "REGION", "us-central1", "BUCKET", "b",
        "TAG", "v1", "JOB_NAME", "job1"));
    Process process = run.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue("run-template.sh did not end", process.waitFor(20, TimeUnit.SECONDS));
    assertEquals(output, 0, process.exitValue());

    List<String> gcloudArgs = Files.readAllLines(recorded);
    assertEquals(List.of("dataflow", "flex-template", "run", "job1"), gcloudArgs.subList(0, 4));
    assertThat(gcloudArgs.toString(), containsString(
        "--template-file-gcs-location=gs://b/templates/magicvideo-v1.json"));
    Map<String, String> parameters = parameters(gcloudArgs);
    assertEquals("blurry, dark", parameters.get("negativePrompt"));
    assertEquals("true", parameters.get("resume"));
    assertEquals("us-central1-docker.pkg.dev/p/magicvideo/worker:v1",
        parameters.get("sdkContainerImage"));
    assertEquals("type:nvidia-l4;count:1;install-nvidia-driver", parameters.get("accelerator"));
    List<String> known = new ArrayList<>();
    FlexTemplateMetadata.metadata().parameters().forEach(p -> known.add(p.name()));
    for (String name : parameters.keySet()) {
      assertTrue(name + " is a template parameter", known.contains(name));
    }
  }

  /** The --parameters value gcloud got, split with its own "^~^" delimiter syntax. */
  private static Map<String, String> parameters(List<String> gcloudArgs) {
    String prefix = "--parameters=^~^";
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String arg : gcloudArgs) {
      if (arg.startsWith(prefix)) {
        for (String parameter : arg.substring(prefix.length()).split("~")) {
          int equals = parameter.indexOf('=');
          parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
        }
      }
    }
    assertTrue("gcloud got --parameters", !parameters.isEmpty());
    return parameters;
  }

  private static Map<String, String> matches(Pattern pattern, String text) {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      values.put(matcher.group(1), matcher.group(2));
    }
    return values;
  }
}
