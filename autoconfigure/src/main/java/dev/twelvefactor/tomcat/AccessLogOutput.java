package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where access log lines go: standard output, or a file opened for appending, written as
 * UTF-8 in batches, since a system call a line costs more than the line itself.
 * <p>
 * Lines are appended to a pending batch under the output's lock, so that they never
 * interleave. A batch is written once {@link #FLUSH_CHARS} are pending, or
 * {@link #FLUSH_DELAY_MILLIS} after its first line at the latest, and when the output is
 * closed. The thread that finds no write under way writes the batch, outside the lock, in
 * one call, while other threads go on appending to the next one, up to
 * {@link #MAX_PENDING_CHARS}: past it, while the output does not take what is written (a
 * log collector that stopped reading standard output), a thread that logs a line waits for
 * the write under way rather than grow the batch without bound, as a Gunicorn worker
 * blocks on its own write; no line is dropped and memory stays bounded. A batch that
 * cannot be written is dropped and the failure logged, once until writing works again.
 * <p>
 * A file is opened without following a symbolic link, so that a link put in its place
 * cannot make the server append to another file.
 *
 * @author twelvefactor
 */
class AccessLogOutput {

	/**
	 * Pending characters that are written at once.
	 */
	static final int FLUSH_CHARS = 8192;

	/**
	 * Longest a line waits to be written.
	 */
	static final long FLUSH_DELAY_MILLIS = 20;

	/**
	 * Most characters pending while a write is under way, before threads that log wait
	 * for it: 1 MiB of lines, some thousands of requests.
	 */
	static final int MAX_PENDING_CHARS = 1024 * 1024;

	private static final Log logger = LogFactory.getLog(AccessLogOutput.class);

	private final @Nullable Path file;

	private @Nullable OutputStream fileStream;

	private @Nullable ScheduledExecutorService scheduler;

	private CharArrayWriter pending = new CharArrayWriter(FLUSH_CHARS);

	private CharArrayWriter writing = new CharArrayWriter(FLUSH_CHARS);

	private boolean writerActive;

	private boolean flushScheduled;

	private volatile boolean failing;

	/**
	 * Create an output to the given file, or to standard output.
	 * @param file the file, appended to, or {@code null} for standard output
	 */
	AccessLogOutput(@Nullable Path file) {
		this.file = file;
	}

	/**
	 * Open the output.
	 * @param scheduler where the delayed writes of a batch run
	 * @throws IOException if the file cannot be opened
	 */
	synchronized void open(ScheduledExecutorService scheduler) throws IOException {
		this.scheduler = scheduler;
		if (this.file != null && this.fileStream == null) {
			this.fileStream = Files.newOutputStream(this.file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
					StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		}
	}

	/**
	 * Write a line followed by a newline.
	 * @param line the line, without a line separator
	 */
	final void write(CharArrayWriter line) {
		synchronized (this) {
			awaitRoom();
			append(line);
			if (this.writerActive) {
				// The active writer writes it before it stops
				return;
			}
			if (this.pending.size() < FLUSH_CHARS) {
				scheduleFlush();
				return;
			}
			this.writerActive = true;
		}
		writePending();
	}

	/**
	 * Wait, holding the lock's monitor, while a write is under way and the pending batch
	 * is full. An interrupted thread (one whose request passed its deadline) stops waiting
	 * and appends anyway, keeping its interrupt: one line more per such thread.
	 */
	private void awaitRoom() {
		while (this.writerActive && this.pending.size() >= MAX_PENDING_CHARS) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Return how many characters are pending, for tests.
	 * @return the pending characters
	 */
	synchronized int pendingChars() {
		return this.pending.size();
	}

	private void append(CharArrayWriter line) {
		try {
			line.writeTo(this.pending);
		}
		catch (IOException ex) {
			// Not thrown: the pending batch is in memory
			throw new UncheckedIOException(ex);
		}
		this.pending.write('\n');
	}

	private void scheduleFlush() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (!this.flushScheduled && scheduler != null) {
			this.flushScheduled = true;
			scheduler.schedule(this::flush, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Write whatever is pending.
	 */
	final void flush() {
		synchronized (this) {
			this.flushScheduled = false;
			if (this.writerActive || this.pending.size() == 0) {
				return;
			}
			this.writerActive = true;
		}
		writePending();
	}

	private void writePending() {
		while (true) {
			CharArrayWriter batch;
			synchronized (this) {
				if (this.pending.size() == 0) {
					this.writerActive = false;
					notifyAll();
					return;
				}
				batch = this.pending;
				this.pending = this.writing;
				this.writing = batch;
				// Room again for the threads waiting to append
				notifyAll();
			}
			try {
				write(batch.toString().getBytes(StandardCharsets.UTF_8));
				this.failing = false;
			}
			catch (IOException | RuntimeException ex) {
				if (!this.failing) {
					this.failing = true;
					logger.error("Failed to write to the access log " + this, ex);
				}
			}
			batch.reset();
		}
	}

	/**
	 * Write bytes to standard output, as {@link System#out} is at the time, so that a
	 * stream that is replaced later (by a test, or by a logging system) is followed, or to
	 * the file. Standard output is never opened as {@code /dev/stdout}, which would
	 * truncate a file that it is redirected to.
	 */
	private void write(byte[] bytes) throws IOException {
		OutputStream stream = (this.file != null) ? this.fileStream : System.out;
		if (stream == null) {
			throw new IOException("Access log file " + this.file + " is not open");
		}
		stream.write(bytes);
		stream.flush();
	}

	/**
	 * Write whatever is pending and close the file.
	 * @throws IOException if the file could not be closed
	 */
	void close() throws IOException {
		try {
			flush();
		}
		finally {
			OutputStream stream;
			synchronized (this) {
				stream = this.fileStream;
				this.fileStream = null;
				this.scheduler = null;
			}
			if (stream != null) {
				stream.close();
			}
		}
	}

	@Override
	public String toString() {
		return (this.file != null) ? this.file.toString() : "stdout";
	}

}
