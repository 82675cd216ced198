package dev.twelvefactor.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * An external program that a test needs, such as {@code goaccess} found on the
 * {@code PATH}, or a Java 21+ runtime for virtual threads. {@code .ci/run} installs every such program; on a developer machine
 * without it the test is skipped with a message saying how to get it, but in CI (the
 * {@code CI} environment variable is set) a missing program fails the test.
 *
 * @author twelvefactor
 */
final class ExternalTool {

	private static final Pattern RELEASE = Pattern.compile("JAVA_VERSION=\"(\\d+)");

	private ExternalTool() {
	}

	/**
	 * Return the {@code java} of a runtime that has virtual threads (Java 21 or later):
	 * the one running the tests if it has, else the one {@code TWELVEFACTOR_JAVA21_HOME}
	 * names, else the newest under {@code /usr/lib/jvm}; or skip the test (fail it in CI)
	 * when there is none.
	 * @return the executable
	 */
	static Path javaWithVirtualThreads() {
		return findJavaWithVirtualThreads().orElseGet(() -> missing("no Java 21 or later runtime was found",
				"install a JDK 21+ under /usr/lib/jvm, or set TWELVEFACTOR_JAVA21_HOME"));
	}

	private static Optional<Path> findJavaWithVirtualThreads() {
		if (Runtime.version().feature() >= 21) {
			return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
		}
		String home = System.getenv("TWELVEFACTOR_JAVA21_HOME");
		if (home != null && version(Path.of(home)) >= 21) {
			return Optional.of(Path.of(home, "bin", "java"));
		}
		Path jvms = Path.of("/usr/lib/jvm");
		if (!Files.isDirectory(jvms)) {
			return Optional.empty();
		}
		try (Stream<Path> homes = Files.list(jvms)) {
			return homes.filter((candidate) -> version(candidate) >= 21)
				.max(Comparator.comparingInt(ExternalTool::version))
				.map((candidate) -> candidate.resolve("bin").resolve("java"));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static int version(Path home) {
		try {
			Matcher matcher = RELEASE.matcher(Files.readString(home.resolve("release")));
			return (matcher.find() && Files.isExecutable(home.resolve("bin").resolve("java")))
					? Integer.parseInt(matcher.group(1)) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Return the path of a program, or skip the test (fail it in CI) when it is missing.
	 * @param command the program's name
	 * @param installation how to install it, such as {@code apt-get install goaccess}
	 * @return the program's path
	 */
	static Path require(String command, String installation) {
		List<String> directories = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			directories.addAll(List.of(path.split(File.pathSeparator)));
		}
		// Where Debian puts daemons such as haproxy, which a user's PATH may lack
		directories.add("/usr/sbin");
		for (String directory : directories) {
			Path candidate = Path.of(directory, command);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return missing(command + " is not on the PATH", installation);
	}

	/**
	 * Return a file that a test needs, or skip the test (fail it in CI) when it is missing.
	 * @param file the file
	 * @param installation how to get it
	 * @return the file
	 */
	static Path requireFile(Path file, String installation) {
		return Files.isRegularFile(file) ? file : missing(file + " does not exist", installation);
	}

	private static <T> T missing(String problem, String installation) {
		String message = problem + " (" + installation + "; .ci/run does it)";
		if (System.getenv("CI") != null) {
			return fail("CI must have it: " + message);
		}
		Assumptions.abort("Skipped: " + message);
		return null;
	}

}
