package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged sample app started as a separate JVM with given environment variables, as a
 * container would start it, with its standard output and error captured to files.
 *
 * @author twelvefactor
 */
final class SampleAppProcess implements AutoCloseable {

	static final Duration STARTUP = Duration.ofSeconds(90);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final Path stdout;

	private final Path stderr;

	private final int port;

	private final int managementPort;

	private SampleAppProcess(Process process, Path stdout, Path stderr, int port, int managementPort) {
		this.process = process;
		this.stdout = stdout;
		this.stderr = stderr;
		this.port = port;
		this.managementPort = managementPort;
	}

	static Builder builder() {
		return new Builder();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	int managementPort() {
		return this.managementPort;
	}

	Process process() {
		return this.process;
	}

	String stdout() {
		return read(this.stdout);
	}

	String stderr() {
		return read(this.stderr);
	}

	String output() {
		return stdout() + stderr();
	}

	/**
	 * Wait until the server is ready, after its startup report, failing if the process ends
	 * first.
	 * @return this process
	 */
	SampleAppProcess awaitReady() {
		awaitOutput((output) -> output.contains("Ready: listening on port "), STARTUP);
		return this;
	}

	void awaitOutput(Predicate<String> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.test(output())) {
				return;
			}
			if (!this.process.isAlive()) {
				if (condition.test(output())) {
					return;
				}
				fail("Sample app exited with " + this.process.exitValue() + " before the expected output:\n" + output());
			}
			pause();
		}
		fail("Expected output did not appear within " + timeout + ":\n" + output());
	}

	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				fail("Sample app did not exit within " + timeout + ":\n" + output());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			fail("Interrupted");
		}
		return this.process.exitValue();
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build());
	}

	/**
	 * Send a GET request to the actuator's port.
	 * @param path the path, such as {@code /actuator/health}
	 * @return the response
	 */
	HttpResponse<String> management(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path))
			.timeout(Duration.ofSeconds(30))
			.build());
	}

	static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static final class Builder {

		private final Map<String, String> environment = new LinkedHashMap<>();

		private final List<String> jvmArguments = new ArrayList<>();

		private final List<String> arguments = new ArrayList<>();

		private boolean assignPort = true;

		private Path workingDirectory;

		private Path java = Path.of(System.getProperty("java.home"), "bin", "java");

		private int expectedPort;

		private String classPath;

		private String mainClass;

		Builder env(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		/**
		 * Expose the actuator's {@code env} and {@code configprops} endpoints as well, which
		 * the sample app does not by default, the way the README tells users to open them.
		 * @return this builder
		 */
		Builder exposeEnvAndConfigprops() {
			return env("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE",
					"health,info,metrics,prometheus,loggers,twelvefactor,env,configprops");
		}

		/**
		 * Run the app on the given Java runtime rather than the one running the tests.
		 * @param java the {@code java} executable
		 * @return this builder
		 */
		Builder java(Path java) {
			this.java = java;
			return this;
		}

		Builder jvm(String argument) {
			this.jvmArguments.add(argument);
			return this;
		}

		Builder arg(String argument) {
			this.arguments.add(argument);
			return this;
		}

		/**
		 * Send requests to the given port, which the environment sets some other way than
		 * a plain {@code PORT}.
		 * @param port the port
		 * @return this builder
		 */
		Builder port(int port) {
			this.expectedPort = port;
			this.assignPort = false;
			return this;
		}

		/**
		 * Run the given main class on the given class path, as an IDE runs an application,
		 * rather than the packaged jar with {@code -jar}.
		 * @param classPath the class path
		 * @param mainClass the main class
		 * @return this builder
		 */
		Builder mainClass(String classPath, String mainClass) {
			this.classPath = classPath;
			this.mainClass = mainClass;
			return this;
		}

		/**
		 * Run the app in the given working directory, where relative paths resolve.
		 * @param directory the working directory
		 * @return this builder
		 */
		Builder in(Path directory) {
			this.workingDirectory = directory;
			return this;
		}

		/**
		 * Leave the port to the app rather than passing a free one as {@code PORT}.
		 * @return this builder
		 */
		Builder ownPort() {
			this.assignPort = false;
			return this;
		}

		SampleAppProcess start() {
			int port = this.expectedPort;
			if (port == 0 && this.environment.containsKey("PORT")) {
				port = Integer.parseInt(this.environment.get("PORT").strip());
			}
			else if (port == 0 && this.assignPort) {
				port = freePort();
				this.environment.put("PORT", String.valueOf(port));
			}
			else if (port == 0) {
				port = 8000;
			}
			// The sample app's actuator has a port of its own, 8081 by default
			this.environment.computeIfAbsent("MANAGEMENT_SERVER_PORT", (name) -> String.valueOf(freePort()));
			int managementPort = Integer.parseInt(this.environment.get("MANAGEMENT_SERVER_PORT"));
			List<String> command = new ArrayList<>();
			command.add(this.java.toString());
			command.add("-XX:TieredStopAtLevel=1");
			command.add("-Xshare:auto");
			command.addAll(this.jvmArguments);
			if (this.mainClass != null) {
				command.add("-cp");
				command.add(this.classPath);
				command.add(this.mainClass);
			}
			else {
				command.add("-jar");
				command.add(jar().toString());
			}
			command.addAll(this.arguments);
			try {
				Path stdout = Files.createTempFile("sample-app-", ".out");
				Path stderr = Files.createTempFile("sample-app-", ".err");
				ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
					.redirectError(stderr.toFile());
				if (this.workingDirectory != null) {
					builder.directory(this.workingDirectory.toFile());
				}
				Map<String, String> environment = builder.environment();
				environment.keySet().removeIf((name) -> !List.of("PATH", "HOME", "LANG", "TMPDIR").contains(name));
				environment.putAll(this.environment);
				return new SampleAppProcess(builder.start(), stdout, stderr, port, managementPort);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		static Path jar() {
			String jar = System.getProperty("sample.jar");
			if (jar == null || !Files.isRegularFile(Path.of(jar))) {
				fail("The packaged sample app is needed (system property sample.jar): run 'mvnw verify'");
			}
			return Path.of(jar);
		}

	}

}
