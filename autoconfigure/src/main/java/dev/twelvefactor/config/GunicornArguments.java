package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Gunicorn's command-line flags as a variable holds them: {@code GUNICORN_CMD_ARGS}, which
 * Gunicorn splits as a POSIX shell would ({@code shlex}), or {@code GUNICORN_ARGS}, which
 * the official image's entry point splits on white space. The flags that map to a setting
 * give it a value named after the variable and the flag ({@code GUNICORN_CMD_ARGS
 * --workers}); every other flag gets a warning naming it, never a silent drop.
 *
 * @author twelvefactor
 */
final class GunicornArguments {

	/**
	 * The flags that map to a setting, by the setting they set.
	 */
	private static final Map<String, String> FLAGS = flags();

	/**
	 * Gunicorn's flags that take no value (those of Gunicorn 20 to 26).
	 */
	private static final Set<String> SWITCHES = Set.of("--capture-output", "--casefold-http-method", "--check-config",
			"--daemon", "--disable-redirect-access-to-syslog", "--do-handshake-on-connect", "--enable-backlog-metric",
			"--enable-stdio-inheritance", "--initgroups", "--log-syslog", "--no-control-socket", "--no-sendfile",
			"--permit-obsolete-folding", "--permit-unconventional-http-method", "--permit-unconventional-http-version",
			"--preload", "--print-config", "--reload", "--reuse-port", "--spew", "--strip-header-spaces",
			"--suppress-ragged-eofs", "--tolerate-dangerous-framing", "-D", "-R");

	private final String variable;

	private final Map<String, Argument> arguments = new LinkedHashMap<>();

	private final Map<String, String> missing = new LinkedHashMap<>();

	private final List<String> warnings = new ArrayList<>();

	private GunicornArguments(String variable) {
		this.variable = variable;
	}

	private static Map<String, String> flags() {
		Map<String, String> flags = new LinkedHashMap<>();
		flags.put("-b", "bind");
		flags.put("--bind", "bind");
		flags.put("-w", "workers");
		flags.put("--workers", "workers");
		flags.put("--threads", "threads");
		flags.put("-t", "timeout");
		flags.put("--timeout", "timeout");
		flags.put("--graceful-timeout", "graceful-timeout");
		flags.put("--keep-alive", "keep-alive");
		flags.put("--backlog", "backlog");
		flags.put("--log-level", "log-level");
		flags.put("--access-logfile", "access-log");
		flags.put("--access-logformat", "access-log-format");
		flags.put("--error-logfile", "error-log");
		flags.put("--log-file", "error-log");
		flags.put("--certfile", "ssl.certfile");
		flags.put("--keyfile", "ssl.keyfile");
		flags.put("--ca-certs", "ssl.ca-certs");
		flags.put("--forwarded-allow-ips", "forwarded-allow-ips");
		flags.put("--limit-request-line", "limit-request-line");
		flags.put("--limit-request-fields", "limit-request-fields");
		flags.put("--limit-request-field_size", "limit-request-field-size");
		flags.put("--limit-request-field-size", "limit-request-field-size");
		flags.put("--check-config", "check");
		return flags;
	}

	/**
	 * Read the flags of {@code GUNICORN_CMD_ARGS}, split as Gunicorn splits them.
	 * @param value the variable's value
	 * @return the flags
	 */
	static GunicornArguments commandArguments(String value) {
		GunicornArguments arguments = new GunicornArguments("GUNICORN_CMD_ARGS");
		ShellWords words = ShellWords.split(value);
		arguments.read(words.words(), words.unclosed());
		return arguments;
	}

	/**
	 * Read the flags of the official image's {@code GUNICORN_ARGS}, split on white space
	 * as its entry point does.
	 * @param value the variable's value
	 * @return the flags
	 */
	static GunicornArguments imageArguments(String value) {
		GunicornArguments arguments = new GunicornArguments("GUNICORN_ARGS");
		String trimmed = value.strip();
		arguments.read(trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+")), false);
		return arguments;
	}

	private void read(List<String> words, boolean lastUnclosed) {
		for (int i = 0; i < words.size(); i++) {
			String word = words.get(i);
			boolean unclosed = lastUnclosed && i == words.size() - 1;
			if (!word.startsWith("-") || word.equals("-")) {
				this.warnings.add(this.variable + ": " + Values.printable(word)
						+ " is not a flag and is ignored (the application is the jar's)");
				continue;
			}
			String flag = word;
			String value = null;
			int equals = word.indexOf('=');
			if (equals > 0) {
				flag = word.substring(0, equals);
				value = word.substring(equals + 1);
			}
			else if (!word.startsWith("--") && word.length() > 2) {
				// A short flag with its value attached: -w4
				flag = word.substring(0, 2);
				value = word.substring(2);
			}
			String setting = FLAGS.get(flag);
			if (setting == null) {
				if (value == null && !SWITCHES.contains(flag) && i + 1 < words.size() && !isFlag(words.get(i + 1))) {
					i++;
				}
				this.warnings.add(this.variable + " " + Values.escape(flag)
						+ " has no meaning for twelvefactor and is ignored");
				continue;
			}
			if ("check".equals(setting)) {
				put(setting, flag, (value != null) ? value : "true");
				continue;
			}
			if (value == null) {
				if (i + 1 >= words.size() || isFlag(words.get(i + 1))) {
					this.missing.put(setting, flag);
					continue;
				}
				value = words.get(++i);
				unclosed = lastUnclosed && i == words.size() - 1;
			}
			if (unclosed) {
				this.missing.put(setting, flag + " (no closing quotation)");
				continue;
			}
			put(setting, flag, value);
		}
	}

	private void put(String setting, String flag, String value) {
		if ("access-log-format".equals(setting)) {
			String pattern = GunicornAccessLogFormat.translate(value);
			if (pattern == null) {
				this.warnings.add(this.variable + " " + flag + " " + Values.printable(value)
						+ " has atoms with no equivalent in Tomcat's access log and is ignored; set "
						+ "TWELVEFACTOR_ACCESS_LOG_FORMAT to a Tomcat pattern");
				return;
			}
			value = pattern;
		}
		Argument previous = this.arguments.get(setting);
		if ("bind".equals(setting) && previous != null) {
			// Gunicorn listens on every address given; twelvefactor on one
			this.warnings.add(this.variable + " " + flag + " " + Values.printable(value)
					+ " is ignored: twelvefactor listens on one address, the first, " + previous.value());
			return;
		}
		// As Gunicorn's parser: the last of a repeated flag wins
		this.arguments.put(setting, new Argument(this.variable + " " + flag, value));
	}

	private static boolean isFlag(String word) {
		return word.startsWith("--") || (word.length() == 2 && word.charAt(0) == '-' && Character.isLetter(word.charAt(1)));
	}

	/**
	 * Return the value that the flags give a setting.
	 * @param setting the setting
	 * @return the value and where it came from, or {@code null}
	 */
	@Nullable Argument get(Setting setting) {
		return this.arguments.get(setting.name());
	}

	/**
	 * Return the flag of a setting that was given without a value, such as
	 * {@code --workers} at the end of the variable.
	 * @param setting the setting
	 * @return the flag, or {@code null}
	 */
	@Nullable String missingValue(Setting setting) {
		return this.missing.get(setting.name());
	}

	String variable() {
		return this.variable;
	}

	/**
	 * Return the warnings about flags that have no meaning here.
	 * @return the warnings
	 */
	List<String> warnings() {
		return this.warnings;
	}

	/**
	 * A value given by a flag.
	 *
	 * @param origin the variable and the flag, such as {@code GUNICORN_CMD_ARGS --workers}
	 * @param value the value
	 */
	record Argument(String origin, String value) {

	}

}
