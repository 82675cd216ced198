package dev.twelvefactor.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.twelvefactor.QuietOutput;
import dev.twelvefactor.QuietOutputExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link AccessLogOutput}.
 *
 * @author twelvefactor
 */
@ExtendWith(QuietOutputExtension.class)
class AccessLogOutputTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void standardOutputFollowsSystemOutAsItIsWhenLinesAreWrittenOut() throws IOException {
		AccessLogOutput output = new AccessLogOutput(null);
		output.open(this.scheduler);
		PrintStream original = System.out;
		ByteArrayOutputStream first = new ByteArrayOutputStream();
		ByteArrayOutputStream second = new ByteArrayOutputStream();
		try {
			System.setOut(new PrintStream(first, false, StandardCharsets.UTF_8));
			output.write(line("one"));
			output.flush();
			System.setOut(new PrintStream(second, false, StandardCharsets.UTF_8));
			output.write(line("two \u00e9\u20ac\ud83d\ude00"));
			output.flush();
		}
		finally {
			System.setOut(original);
		}
		assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("one\n");
		assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo("two \u00e9\u20ac\ud83d\ude00\n");
	}

	@Test
	void aLineIsWrittenWithinTheFlushDelayWithoutAnExplicitFlush(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("access.log");
		AccessLogOutput output = new AccessLogOutput(file);
		output.open(this.scheduler);
		try {
			output.write(line("soon"));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (Files.size(file) == 0 && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(Files.readAllLines(file)).containsExactly("soon");
		}
		finally {
			output.close();
		}
	}

	@Test
	void linesAreWrittenAtOnceWhenEnoughArePending(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("access.log");
		AccessLogOutput output = new AccessLogOutput(file);
		output.open(this.scheduler);
		try {
			String text = "x".repeat(99);
			int lines = AccessLogOutput.FLUSH_CHARS / (text.length() + 1) + 1;
			for (int i = 0; i < lines; i++) {
				output.write(line(text));
			}
			// Written by the last write call itself, not by the scheduled flush
			assertThat(Files.readAllLines(file)).hasSize(lines);
		}
		finally {
			output.close();
		}
	}

	@Test
	void fileIsAppendedToAndClosed(@TempDir Path directory) throws IOException {
		Path file = directory.resolve("access.log");
		Files.writeString(file, "kept\n");
		AccessLogOutput output = new AccessLogOutput(file);
		output.open(this.scheduler);
		output.write(line("added"));
		output.close();
		assertThat(Files.readAllLines(file)).containsExactly("kept", "added");
	}

	@Test
	void linesWrittenConcurrentlyNeverInterleave(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("access.log");
		AccessLogOutput output = new AccessLogOutput(file);
		output.open(this.scheduler);
		int threads = 4;
		int linesPerThread = 2000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String content = String.valueOf((char) ('a' + t)).repeat(300 + t * 1000);
				futures.add(executor.submit(() -> {
					for (int i = 0; i < linesPerThread; i++) {
						output.write(line(content));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			executor.shutdown();
			output.close();
		}
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(threads * linesPerThread)
			.allSatisfy((line) -> assertThat(line).matches("([a-d])\\1*")
				.hasSize(300 + (line.charAt(0) - 'a') * 1000));
	}

	@Test
	void aFailedWriteIsLoggedOnceAndTheOutputRecovers(@TempDir Path directory, QuietOutput output)
			throws IOException {
		Path file = directory.resolve("access.log");
		AccessLogOutput accessLog = new AccessLogOutput(file);
		accessLog.open(this.scheduler);
		accessLog.close();
		// Closed: writing fails until it is opened again
		accessLog.write(line("lost"));
		accessLog.flush();
		accessLog.write(line("lost too"));
		accessLog.flush();
		accessLog.open(this.scheduler);
		accessLog.write(line("kept"));
		accessLog.close();
		assertThat(Files.readAllLines(file)).containsExactly("kept");
		assertThat(output.toString()).containsOnlyOnce("Failed to write to the access log " + file)
			.contains("java.io.IOException: Access log file " + file + " is not open");
	}

	@Test
	void threadsThatLogWaitRatherThanBufferWithoutBoundWhileTheOutputIsBlocked() throws Exception {
		AccessLogOutput output = new AccessLogOutput(null);
		output.open(this.scheduler);
		BlockingStream blocked = new BlockingStream();
		PrintStream original = System.out;
		ExecutorService executor = Executors.newFixedThreadPool(2);
		String text = "x".repeat(999);
		int first = AccessLogOutput.FLUSH_CHARS / (text.length() + 1) + 1;
		int lines = 3 * AccessLogOutput.MAX_PENDING_CHARS / (text.length() + 1);
		try {
			System.setOut(new PrintStream(blocked, false, StandardCharsets.UTF_8));
			// Enough for a write at once: this thread becomes the writer, and blocks
			Future<?> writer = executor.submit(() -> {
				for (int i = 0; i < first; i++) {
					output.write(line(text));
				}
			});
			assertThat(blocked.writing.await(10, TimeUnit.SECONDS)).isTrue();
			AtomicReference<Thread> logger = new AtomicReference<>();
			Future<?> logging = executor.submit(() -> {
				logger.set(Thread.currentThread());
				for (int i = 0; i < lines; i++) {
					output.write(line(text));
				}
			});
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while ((logger.get() == null || logger.get().getState() != Thread.State.WAITING) && !logging.isDone()
					&& System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(logging).as("a thread logging while the output is blocked waits").isNotDone();
			assertThat(output.pendingChars()).isLessThanOrEqualTo(AccessLogOutput.MAX_PENDING_CHARS + text.length() + 1);
			blocked.release.countDown();
			writer.get(30, TimeUnit.SECONDS);
			logging.get(30, TimeUnit.SECONDS);
			output.flush();
		}
		finally {
			blocked.release.countDown();
			System.setOut(original);
			executor.shutdownNow();
		}
		assertThat(blocked.written().lines().count()).as("no line lost").isEqualTo(first + lines);
	}

	@Test
	void symbolicLinkPutInPlaceOfTheFileIsNotFollowed(@TempDir Path directory) throws IOException {
		Path target = Files.writeString(directory.resolve("elsewhere"), "kept\n");
		Path file = Files.createSymbolicLink(directory.resolve("access.log"), target);
		AccessLogOutput output = new AccessLogOutput(file);
		assertThatIOException().isThrownBy(() -> output.open(this.scheduler));
		assertThat(Files.readString(target)).isEqualTo("kept\n");
	}

	/**
	 * An output whose writes block until released, as a pipe whose reader stopped
	 * reading.
	 */
	private static final class BlockingStream extends OutputStream {

		private final CountDownLatch writing = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.writing.countDown();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			synchronized (this.bytes) {
				this.bytes.write(b, off, len);
			}
		}

		String written() {
			synchronized (this.bytes) {
				return this.bytes.toString(StandardCharsets.UTF_8);
			}
		}

	}

	private static CharArrayWriter line(String text) {
		CharArrayWriter line = new CharArrayWriter();
		line.append(text);
		return line;
	}

}
