package dev.twelvefactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the packages in the layout that docs/architecture.md describes: dependencies point
 * from the appliers to {@code config}, never back, and no two packages depend on each other.
 *
 * @author twelvefactor
 */
class ArchitectureTests {

	private static final Path SOURCES = Path.of("src/main/java/dev/twelvefactor");

	private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.twelvefactor\\.(\\w+)\\.");

	/**
	 * What each package may use: no cycle, and {@code config} uses none.
	 */
	private static final Map<String, Set<String>> ALLOWED = Map.of("config", Set.of(), "logging", Set.of("config"),
			"lifecycle", Set.of("config"), "tomcat", Set.of("config"),
			"autoconfigure", Set.of("config", "lifecycle", "tomcat"),
			"actuate", Set.of("config", "tomcat", "autoconfigure"));

	@Test
	void dependenciesPointFromTheAppliersToTheConfigurationModel() throws IOException {
		Map<String, Set<String>> dependencies = dependencies();
		assertThat(dependencies.keySet()).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
		dependencies.forEach((from, to) -> assertThat(ALLOWED.get(from)).as("dependencies of %s", from)
			.containsAll(to));
	}

	private static Map<String, Set<String>> dependencies() throws IOException {
		Map<String, Set<String>> dependencies = new TreeMap<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String from = SOURCES.relativize(file).getName(0).toString();
				Set<String> to = dependencies.computeIfAbsent(from, (name) -> new TreeSet<>());
				Matcher matcher = REFERENCE.matcher(Files.readString(file));
				while (matcher.find()) {
					if (!matcher.group(1).equals(from)) {
						to.add(matcher.group(1));
					}
				}
			}
		}
		return dependencies;
	}

}
