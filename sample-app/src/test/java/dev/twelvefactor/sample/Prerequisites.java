package dev.twelvefactor.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What some process tests need from the machine beyond a JDK, such as a Java 21+ runtime
 * for virtual threads. On a developer's machine a test whose prerequisite is missing is
 * skipped, saying what to install; in CI ({@code CI} set, as {@code .ci/run} sets it, which
 * installs them) it fails instead, so that CI never passes by skipping.
 *
 * @author twelvefactor
 */
final class Prerequisites {

	private static final Pattern RELEASE = Pattern.compile("JAVA_VERSION=\"(\\d+)");

	private Prerequisites() {
	}

	/**
	 * Require something of the machine.
	 * @param present whether it is there
	 * @param what what is missing, and how to get it
	 */
	static void require(boolean present, String what) {
		if (!present && System.getenv("CI") != null) {
			fail("CI must provide " + what);
		}
		assumeTrue(present, () -> "Skipped: needs " + what);
	}

	/**
	 * Return the {@code java} of a runtime that has virtual threads (Java 21 or later):
	 * the one running the tests if it has, else the newest under {@code /usr/lib/jvm}, or
	 * the one {@code TWELVEFACTOR_JAVA21_HOME} names.
	 * @return the executable
	 */
	static Path virtualThreadsJava() {
		Optional<Path> java = findVirtualThreadsJava();
		require(java.isPresent(),
				"a Java 21+ runtime for virtual threads (under /usr/lib/jvm, or TWELVEFACTOR_JAVA21_HOME)");
		return java.get();
	}

	private static Optional<Path> findVirtualThreadsJava() {
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
				.max(Comparator.comparingInt(Prerequisites::version))
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

}
