package dev.twelvefactor.sample;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.devtools.restart.Restarter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under Spring Boot DevTools, a change on the class path restarts the application: the
 * application context closes and a new one starts in the same process. The starter logs
 * that as a restart, and only the end of the process as its exit.
 *
 * @author twelvefactor
 */
class DevToolsRestartIntegrationTests {

	private static final Pattern READY = Pattern.compile("Ready: listening on port ");

	@Test
	void restartIsNotLoggedAsAnExitWhileTheEndOfTheProcessIs(@TempDir Path directory) throws Exception {
		// The sample app run from its classes with DevTools on the class path, as an IDE runs it
		Path classes = unpack(SampleAppProcess.Builder.jar(), directory);
		String classPath = String.join(File.pathSeparator, classes.toString(),
				directory.resolve("BOOT-INF").resolve("lib") + File.separator + "*", devTools().toString());
		try (SampleAppProcess app = SampleAppProcess.builder()
			.mainClass(classPath, "dev.twelvefactor.sample.SampleApplication")
			.env("SPRING_DEVTOOLS_LIVERELOAD_ENABLED", "false")
			.start()
			.awaitReady()) {
			Files.writeString(classes.resolve("changed.txt"), "a change DevTools restarts on");
			app.awaitOutput((output) -> count(READY, output) >= 2, SampleAppProcess.STARTUP);
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThat(app.stderr()).contains("Stopping: draining")
				.contains("Restart: drained 0 requests in flight in ")
				.contains("(a Spring Boot DevTools restart: the process goes on)")
				.doesNotContain("Exit: drained");
			app.process().destroy();
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(app.stderr()).contains("Exit: drained 0 requests in flight in ");
		}
	}

	private static Path unpack(Path jar, Path directory) throws IOException {
		try (InputStream input = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(input)) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				Path target = directory.resolve(entry.getName()).normalize();
				assertThat(target).startsWithRaw(directory);
				if (entry.isDirectory()) {
					Files.createDirectories(target);
				}
				else {
					Files.createDirectories(target.getParent());
					Files.copy(zip, target);
				}
			}
		}
		return directory.resolve("BOOT-INF").resolve("classes");
	}

	private static Path devTools() throws URISyntaxException {
		return Path.of(Restarter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	private static int count(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
