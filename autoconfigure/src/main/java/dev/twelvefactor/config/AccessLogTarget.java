package dev.twelvefactor.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Where the access log is written: standard output, nowhere, or a file appended to.
 *
 * @param file the file, or {@code null} for standard output or none
 * @param enabled whether requests are logged at all
 * @author twelvefactor
 */
public record AccessLogTarget(@Nullable Path file, boolean enabled) {

	static final AccessLogTarget STDOUT = new AccessLogTarget(null, true);

	static final AccessLogTarget OFF = new AccessLogTarget(null, false);

	static final String ACCEPTED = "'-' or 'stdout' for standard output, 'off', or the path of a file that can be "
			+ "appended to";

	/**
	 * Return the access log target that a value, trimmed, stands for.
	 * @param value the value
	 * @return the target
	 * @throws IllegalArgumentException if the value is not one the setting accepts
	 */
	public static AccessLogTarget valueOf(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "-", "stdout" -> STDOUT;
			case "off" -> OFF;
			default -> new AccessLogTarget(appendable(Values.path(value)), true);
		};
	}

	private static Path appendable(Path file) {
		Path absolute = file.toAbsolutePath();
		if (Files.isSymbolicLink(absolute)) {
			// It would append to whatever the link points at, which whoever could write the link chose
			throw new InvalidValueException("it is a symbolic link, which the access log does not follow");
		}
		if (Files.isDirectory(absolute)) {
			throw new InvalidValueException("it is a directory");
		}
		if (Files.exists(absolute)) {
			if (!Files.isRegularFile(absolute) || !Files.isWritable(absolute)) {
				throw new InvalidValueException("the file is not writable");
			}
			return absolute;
		}
		// Checked without creating the file: validation leaves no trace, even when the start fails
		Path directory = absolute.getParent();
		if (directory == null || !Files.isDirectory(directory) || !Files.isWritable(directory)) {
			throw new InvalidValueException("its directory does not exist or is not writable");
		}
		if (absolute.getFileName().toString().length() > 255) {
			throw new InvalidValueException("the file name is too long");
		}
		return absolute;
	}

	/**
	 * Return whether the log goes to standard output.
	 * @return whether the target is standard output
	 */
	public boolean isStandardOutput() {
		return this.enabled && this.file == null;
	}

	@Override
	public String toString() {
		return (!this.enabled) ? "off" : (this.file != null) ? this.file.toString() : "stdout";
	}

}
