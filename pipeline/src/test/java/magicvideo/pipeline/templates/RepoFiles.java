package magicvideo.pipeline.templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The repository's own files, for tests that hold templates/ to the code and the poms: found from
 * the working directory (Maven runs tests in the module folder) upwards.
 */
final class RepoFiles {
  private RepoFiles() {}

  /** The folder holding the parent pom.xml and templates/. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("templates"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no folder with pom.xml and templates/ above " + Path.of("").toAbsolutePath());
  }

  static Path dataflow() {
    return root().resolve("templates/dataflow");
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** A property of the parent pom, e.g. {@code beam.version}. */
  static String parentPomProperty(String name) throws IOException {
    return text(root().resolve("pom.xml"), "properties/" + name);
  }

  /**
   * The file name of the shaded (fat) jar the pipeline pom builds, from the shade plugin's {@code
   * outputFile}, e.g. {@code magicvideo.jar}.
   */
  static String shadedJarName() throws IOException {
    // the pom has other outputFiles (classpath files); the shade plugin's is the one jar
    Path pom = root().resolve("pipeline/pom.xml");
    NodeList outputs = parse(pom).getElementsByTagName("outputFile");
    List<String> jars = new ArrayList<>();
    for (int i = 0; i < outputs.getLength(); i++) {
      String file = outputs.item(i).getTextContent().trim();
      if (file.endsWith(".jar")) {
        jars.add(file.substring(file.lastIndexOf('/') + 1));
      }
    }
    if (jars.size() != 1) {
      throw new IllegalStateException(pom + " should name one .jar outputFile (the shade plugin's), found " + jars);
    }
    return jars.get(0);
  }

  /** The main class the shaded jar's manifest names. */
  static String shadedJarMainClass() throws IOException {
    return text(root().resolve("pipeline/pom.xml"), "mainClass");
  }

  /**
   * The text of the only element at {@code path} (element names joined by '/'; the first is looked
   * up anywhere in the document).
   */
  private static String text(Path pom, String path) throws IOException {
    Document document = parse(pom);
    String[] names = path.split("/");
    NodeList candidates = document.getElementsByTagName(names[names.length - 1]);
    String found = null;
    for (int i = 0; i < candidates.getLength(); i++) {
      if (hasAncestors(candidates.item(i), names)) {
        if (found != null) {
          throw new IllegalStateException(pom + " has more than one <" + path + ">");
        }
        found = candidates.item(i).getTextContent().trim();
      }
    }
    if (found == null) {
      throw new IllegalStateException(pom + " has no <" + path + ">");
    }
    return found;
  }

  private static Document parse(Path pom) throws IOException {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("cannot parse " + pom, e);
    }
  }

  private static boolean hasAncestors(Node node, String[] names) {
    Node current = node;
    for (int i = names.length - 1; i >= 0; i--) {
      if (current == null || !names[i].equals(current.getNodeName())) {
        return false;
      }
      current = current.getParentNode();
    }
    return true;
  }
}
