package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real Gunicorn, Debian's, serving a WSGI application that answers with what it sees of
 * its client ({@code src/test/resources/gunicorn/echo.py}), on 127.0.0.1 and ::1, so that
 * tests can send it the requests they send the sample app and compare the answers. Skips
 * the test when Gunicorn is not installed, and fails it in CI (see {@link ExternalTool}).
 *
 * @author twelvefactor
 */
final class GunicornProcess implements AutoCloseable {

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

	private final Process process;

	private final Path output;

	private final int port;

	private GunicornProcess(Process process, Path output, int port) {
		this.process = process;
		this.output = output;
		this.port = port;
	}

	/**
	 * Start Gunicorn with the given environment variables and command-line arguments.
	 * @param environment variables such as {@code FORWARDED_ALLOW_IPS}
	 * @param arguments arguments besides the bind addresses and the application
	 * @return the running Gunicorn
	 */
	static GunicornProcess start(Map<String, String> environment, String... arguments) {
		Path gunicorn = executable();
		int port = SampleAppProcess.freePort();
		List<String> command = new ArrayList<>(List.of(gunicorn.toString(), "--chdir", application().toString(),
				"--bind", "127.0.0.1:" + port, "--bind", "[::1]:" + port, "--workers", "1"));
		command.addAll(List.of(arguments));
		command.add("echo:app");
		try {
			Path output = Files.createTempFile("gunicorn-", ".out");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
			builder.environment().keySet().removeIf((name) -> !List.of("PATH", "HOME", "LANG").contains(name));
			builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
			builder.environment().putAll(environment);
			GunicornProcess started = new GunicornProcess(builder.start(), output, port);
			started.awaitListening();
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the version of the installed Gunicorn, as {@code {major, minor}}.
	 * @return the version
	 */
	static int[] version() {
		try {
			Process process = new ProcessBuilder(executable().toString(), "--version").redirectErrorStream(true).start();
			String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(30, TimeUnit.SECONDS);
			Matcher matcher = VERSION.matcher(text);
			if (!matcher.find()) {
				fail("No version in: " + text);
			}
			return new int[] { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)) };
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return whether the installed Gunicorn is at least the given version.
	 * @param major the major version
	 * @param minor the minor version
	 * @return whether it is that version or later
	 */
	static boolean isAtLeast(int major, int minor) {
		int[] version = version();
		return version[0] > major || (version[0] == major && version[1] >= minor);
	}

	private static Path executable() {
		return ExternalTool.require("gunicorn", "apt-get install gunicorn");
	}

	private static Path application() {
		try {
			return Path.of(GunicornProcess.class.getResource("/gunicorn/echo.py").toURI()).getParent();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	String output() {
		try {
			return Files.readString(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				fail("Gunicorn exited with " + this.process.exitValue() + ":\n" + output());
			}
			if (accepts("127.0.0.1") && accepts("::1")) {
				return;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		fail("Gunicorn did not listen within 60s:\n" + output());
	}

	private boolean accepts(String address) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, this.port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
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

}
