package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.twelvefactor.config.AccessLogTarget;

/**
 * Where access log lines go: standard output or a file opened for appending. Each line
 * and its newline are encoded as UTF-8 into a pending buffer under the output's lock, so
 * that lines never interleave and writing creates no objects.
 * <p>
 * Writes are combined, since a system call a line costs more than the line itself: lines
 * are written once {@link #FLUSH_BYTES} are pending, or {@link #FLUSH_DELAY_MILLIS} after
 * the first of them at the latest, and when the output is closed. The thread that finds
 * no write under way becomes the writer and writes everything pending, outside the lock,
 * in one call, until nothing is pending; meanwhile other threads only append their lines.
 *
 * @author twelvefactor
 */
abstract class AccessLogOutput implements Closeable {

	private static final int INITIAL_CAPACITY = 1024;

	/**
	 * Pending bytes that are written at once.
	 */
	static final int FLUSH_BYTES = 8192;

	/**
	 * Longest a line waits to be written.
	 */
	static final long FLUSH_DELAY_MILLIS = 20;

	private static final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "twelvefactor-access-log");
		thread.setDaemon(true);
		return thread;
	});

	private boolean flushScheduled;

	/**
	 * Lines waiting to be written; guarded by this output's lock.
	 */
	private byte[] bytes = new byte[INITIAL_CAPACITY];

	private int length;

	/**
	 * The buffer being written, outside the lock, by the one active writer.
	 */
	private byte[] writing = new byte[INITIAL_CAPACITY];

	private boolean writerActive;

	private final Writer encoder = new Utf8Encoder();

	/**
	 * Return the output for a target that is enabled.
	 * @param target the access log target
	 * @return the output, not yet open
	 */
	static AccessLogOutput of(AccessLogTarget target) {
		Path file = target.file();
		return (file != null) ? new FileOutput(file) : new StandardOutput();
	}

	/**
	 * Make the output ready to be written to.
	 * @throws IOException if it cannot be opened
	 */
	abstract void open() throws IOException;

	/**
	 * Write a line followed by a newline.
	 * @param line the line, without a line separator
	 * @throws IOException if the line could not be written
	 */
	final void write(CharArrayWriter line) throws IOException {
		synchronized (this) {
			line.writeTo(this.encoder);
			ensureCapacity(1);
			this.bytes[this.length++] = '\n';
			if (this.writerActive) {
				// The active writer writes it before it stops
				return;
			}
			if (this.length < FLUSH_BYTES) {
				if (!this.flushScheduled) {
					this.flushScheduled = true;
					flusher.schedule(this::flushQuietly, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
				}
				return;
			}
			this.writerActive = true;
		}
		writePending();
	}

	/**
	 * Write whatever is pending.
	 * @throws IOException if it could not be written
	 */
	final void flush() throws IOException {
		synchronized (this) {
			this.flushScheduled = false;
			if (this.writerActive || this.length == 0) {
				return;
			}
			this.writerActive = true;
		}
		writePending();
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (IOException | RuntimeException ex) {
			// Kept pending: the next line's write or flush reports it
		}
	}

	private void writePending() throws IOException {
		boolean done = false;
		try {
			while (true) {
				byte[] batch;
				int batchLength;
				synchronized (this) {
					if (this.length == 0) {
						this.writerActive = false;
						done = true;
						return;
					}
					batch = this.bytes;
					batchLength = this.length;
					this.bytes = this.writing;
					this.length = 0;
					this.writing = batch;
				}
				write(batch, batchLength);
			}
		}
		finally {
			if (!done) {
				// Failed: what is still pending goes with the next line's writer
				synchronized (this) {
					this.writerActive = false;
				}
			}
		}
	}

	/**
	 * Write bytes with one call to the underlying stream.
	 * @param bytes the bytes
	 * @param length how many of them to write
	 * @throws IOException if they could not be written
	 */
	protected abstract void write(byte[] bytes, int length) throws IOException;

	@Override
	public void close() throws IOException {
		flush();
	}

	private void ensureCapacity(int additional) {
		if (this.length + additional > this.bytes.length) {
			byte[] larger = new byte[Math.max(this.bytes.length * 2, this.length + additional)];
			System.arraycopy(this.bytes, 0, larger, 0, this.length);
			this.bytes = larger;
		}
	}

	/**
	 * Encodes the characters of a line into the output's buffer. Escaped lines are ASCII;
	 * only literal text of a user's pattern may need more than one byte a character.
	 */
	private final class Utf8Encoder extends Writer {

		@Override
		public void write(char[] characters, int offset, int count) {
			ensureCapacity(count * 3);
			byte[] bytes = AccessLogOutput.this.bytes;
			int length = AccessLogOutput.this.length;
			int end = offset + count;
			for (int i = offset; i < end; i++) {
				char c = characters[i];
				if (c < 0x80) {
					bytes[length++] = (byte) c;
				}
				else if (c < 0x800) {
					bytes[length++] = (byte) (0xC0 | (c >> 6));
					bytes[length++] = (byte) (0x80 | (c & 0x3F));
				}
				else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(characters[i + 1])) {
					int codePoint = Character.toCodePoint(c, characters[++i]);
					bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
					bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
					bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
					bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
				}
				else if (Character.isSurrogate(c)) {
					bytes[length++] = '?';
				}
				else {
					bytes[length++] = (byte) (0xE0 | (c >> 12));
					bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
					bytes[length++] = (byte) (0x80 | (c & 0x3F));
				}
			}
			AccessLogOutput.this.length = length;
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

	/**
	 * Standard output, as {@link System#out} is when a line is written, so that a stream
	 * that is replaced later (by a test, or by a logging system) is followed. It is never
	 * opened as {@code /dev/stdout}, which would truncate a file that standard output is
	 * redirected to.
	 */
	static final class StandardOutput extends AccessLogOutput {

		@Override
		void open() {
		}

		@Override
		protected void write(byte[] bytes, int length) {
			PrintStream out = System.out;
			out.write(bytes, 0, length);
			out.flush();
		}

	}

	/**
	 * A file opened for appending: every write goes to the end of the file, even when
	 * another process writes to it too.
	 */
	static final class FileOutput extends AccessLogOutput {

		private final Path file;

		private @Nullable OutputStream stream;

		FileOutput(Path file) {
			this.file = file;
		}

		@Override
		synchronized void open() throws IOException {
			if (this.stream == null) {
				this.stream = new FileOutputStream(this.file.toFile(), true);
			}
		}

		@Override
		protected void write(byte[] bytes, int length) throws IOException {
			OutputStream stream = this.stream;
			if (stream == null) {
				throw new IOException("Access log file " + this.file + " is not open");
			}
			stream.write(bytes, 0, length);
		}

		@Override
		public void close() throws IOException {
			flush();
			closeStream();
		}

		private synchronized void closeStream() throws IOException {
			OutputStream stream = this.stream;
			this.stream = null;
			if (stream != null) {
				stream.close();
			}
		}

		@Override
		public String toString() {
			return this.file.toString();
		}

	}

}
