package dev.twelvefactor.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Gunicorn's access log format ({@code --access-logformat}, atoms such as {@code %(h)s})
 * as the Tomcat pattern that writes the same fields.
 *
 * @author twelvefactor
 */
final class GunicornAccessLogFormat {

	private static final Pattern ATOM = Pattern.compile("%\\(([^)]*)\\)s");

	/**
	 * Gunicorn's atoms and Tomcat's elements that write the same.
	 */
	private static final Map<String, String> ATOMS = Map.ofEntries(Map.entry("h", "%h"), Map.entry("l", "%l"),
			Map.entry("u", "%u"), Map.entry("t", "%t"), Map.entry("r", "%r"), Map.entry("m", "%m"),
			Map.entry("U", "%U"), Map.entry("q", "%q"), Map.entry("H", "%H"), Map.entry("s", "%s"),
			Map.entry("B", "%B"), Map.entry("b", "%b"), Map.entry("f", "%{Referer}i"),
			Map.entry("a", "%{User-Agent}i"), Map.entry("T", "%T"), Map.entry("D", "%D"), Map.entry("M", "%{ms}T"),
			Map.entry("L", "%{fracsec}T"));

	private static final Pattern HEADER = Pattern.compile("\\{([A-Za-z0-9!#$&'*+.^_`|~-]+)\\}([io])");

	private static final String COMBINED = "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-Agent}i\"";

	private static final String COMMON = "%h %l %u %t \"%r\" %s %b";

	private GunicornAccessLogFormat() {
	}

	/**
	 * Return the Tomcat pattern, or format name, that writes what a Gunicorn format does.
	 * @param format Gunicorn's format
	 * @return {@code combined}, {@code common} or a Tomcat pattern, or {@code null} when
	 * the format has an atom with no equivalent (such as {@code %(p)s}, the process id)
	 */
	static @Nullable String translate(String format) {
		Matcher matcher = ATOM.matcher(format);
		StringBuilder pattern = new StringBuilder();
		int end = 0;
		while (matcher.find()) {
			String literal = format.substring(end, matcher.start());
			if (literal.indexOf('%') >= 0) {
				return null;
			}
			pattern.append(literal);
			String element = element(matcher.group(1));
			if (element == null) {
				return null;
			}
			pattern.append(element);
			end = matcher.end();
		}
		String rest = format.substring(end);
		if (rest.indexOf('%') >= 0 || end == 0) {
			return null;
		}
		pattern.append(rest);
		String translated = pattern.toString();
		return switch (translated) {
			case COMBINED -> "combined";
			case COMMON -> "common";
			default -> translated;
		};
	}

	private static @Nullable String element(String atom) {
		String element = ATOMS.get(atom);
		if (element != null) {
			return element;
		}
		Matcher header = HEADER.matcher(atom);
		return header.matches() ? "%{" + header.group(1) + "}" + header.group(2) : null;
	}

}
