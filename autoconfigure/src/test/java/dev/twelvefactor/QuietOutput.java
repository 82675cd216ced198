package dev.twelvefactor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output and error of a test, captured by {@link QuietOutputExtension} without
 * being printed.
 *
 * @author twelvefactor
 */
public final class QuietOutput {

	private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

	private PrintStream out;

	private PrintStream err;

	void start() {
		this.out = System.out;
		this.err = System.err;
		PrintStream capture = new PrintStream(this.captured, true, StandardCharsets.UTF_8);
		System.setOut(capture);
		System.setErr(capture);
	}

	void stop() {
		System.setOut(this.out);
		System.setErr(this.err);
	}

	/**
	 * Print what was captured where it would have gone.
	 */
	void print() {
		this.err.print(this);
		this.err.flush();
	}

	/**
	 * Return what was written to standard output and error so far.
	 * @return the output
	 */
	@Override
	public String toString() {
		return this.captured.toString(StandardCharsets.UTF_8);
	}

}
