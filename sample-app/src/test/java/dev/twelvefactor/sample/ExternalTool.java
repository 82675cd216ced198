package dev.twelvefactor.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * An external program that a test needs, such as {@code goaccess}, found on the
 * {@code PATH}. {@code .ci/run} installs every such program; on a developer machine
 * without it the test is skipped with a message saying how to get it, but in CI (the
 * {@code CI} environment variable is set) a missing program fails the test.
 *
 * @author twelvefactor
 */
final class ExternalTool {

	private ExternalTool() {
	}

	/**
	 * Return the path of a program, or skip the test (fail it in CI) when it is missing.
	 * @param command the program's name
	 * @param installation how to install it, such as {@code apt-get install goaccess}
	 * @return the program's path
	 */
	static Path require(String command, String installation) {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				Path candidate = Path.of(directory, command);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
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
