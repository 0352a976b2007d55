package magicvideo.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import magicvideo.transforms.io.AtomicOutputs;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line of a launch with its {@code --config} file folded in: the file's options become
 * {@code --name=value} flags placed before the command line's, less every option the command line
 * gives itself, so a flag overrides the file's value (a list or map too, whole). Beam then parses
 * the lot, so types, defaults, validation and runner options are Beam's as for any flag.
 *
 * <p>Each of the file's options is first parsed by Beam on its own, so that an unknown name or a
 * value of the wrong type is reported with the file and line it came from; every such problem
 * comes in one message.
 */
final class ConfigArgs {
  private static final String CONFIG_FLAG = "--config=";

  /** Options a file cannot set: another config, and Beam's help, which would end the launcher. */
  private static final Set<String> RESERVED = Set.of("config", "help");

  private ConfigArgs() {}

  /**
   * {@code args} with the options of its {@code --config} file before them; {@code args} as they
   * are when there is none. The file is read through Beam's {@link FileSystems} (local, gs://),
   * configured from the command line's options ({@code --gcsEndpoint}, credentials). Throws {@link
   * OptionChecks.InvalidOptionsException} when the file cannot be read or holds a wrong option;
   * {@link MagicVideoOptions} must be registered with {@link PipelineOptionsFactory}.
   */
  static String[] expand(String... args) {
    List<String> configs = new ArrayList<>();
    Set<String> given = new HashSet<>();
    for (String arg : args) {
      if (arg.startsWith(CONFIG_FLAG)) {
        configs.add(arg.substring(CONFIG_FLAG.length()));
      }
      given.add(optionName(arg));
    }
    if (configs.isEmpty()) {
      return args;
    }
    if (configs.size() > 1) {
      throw ConfigFile.invalid("--config is given " + configs.size() + " times (" + configs
          + "): give one file, and flags to override its values");
    }
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(args).as(MagicVideoOptions.class));
    ConfigFile file = read(configs.get(0));

    List<String> expanded = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ConfigFile.Entry entry : file.entries()) {
      String problem = problem(entry);
      if (problem != null) {
        problems.add(file.where(entry) + ": " + problem);
      } else if (!given.contains(entry.name())) {
        expanded.addAll(entry.flags());
      }
    }
    if (!problems.isEmpty()) {
      throw ConfigFile.invalid(problems);
    }
    expanded.addAll(List.of(args));
    return expanded.toArray(String[]::new);
  }

  private static ConfigFile read(String path) {
    String text;
    try {
      text = new String(AtomicOutputs.readBytes(path), StandardCharsets.UTF_8);
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigFile.invalid("--config=" + path + " cannot be read: " + e);
    }
    return ConfigFile.parse(path, text);
  }

  /** What is wrong with an option of the file, as Beam parses it alone; null when nothing is. */
  private static String problem(ConfigFile.Entry entry) {
    if (RESERVED.contains(entry.name())) {
      return "'" + entry.name() + "' cannot be set in a config file";
    }
    if (entry.values() == null) {
      return "'" + entry.name() + "' has no value; remove the line to keep the option's default";
    }
    try {
      PipelineOptionsFactory.fromArgs(entry.flags().toArray(String[]::new))
          .as(MagicVideoOptions.class);
      return null;
    } catch (IllegalArgumentException e) {
      // the first line: Jackson's type errors go on with a useless "at [Source: UNKNOWN...]"
      String firstLine = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return "'" + entry.name() + "': " + firstLine;
    }
  }

  /** The option a flag sets: {@code steps} for {@code --steps=25} and for {@code --steps}. */
  private static String optionName(String arg) {
    String name = arg.startsWith("--") ? arg.substring(2) : arg;
    int equals = name.indexOf('=');
    return equals < 0 ? name : name.substring(0, equals);
  }
}
