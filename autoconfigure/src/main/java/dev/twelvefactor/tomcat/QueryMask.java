package dev.twelvefactor.tomcat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Masks the values of the query parameters that carry credentials, so that a query string
 * can be logged: {@code a=1&token=abc} becomes {@code a=1&token=******}.
 *
 * @author twelvefactor
 */
final class QueryMask {

	/**
	 * What a masked value is written as.
	 */
	static final String MASK = "******";

	private final String[] names;

	/**
	 * Create a mask of the given parameter names, compared in any case.
	 * @param names the names
	 */
	QueryMask(List<String> names) {
		this.names = names.toArray(String[]::new);
	}

	/**
	 * Return the query with the values of masked parameters replaced, or the query itself
	 * when nothing is masked.
	 * @param query the query string, as sent
	 * @return the masked query, or {@code null} when there is no query
	 */
	@Nullable String apply(@Nullable String query) {
		if (query == null || this.names.length == 0) {
			return query;
		}
		StringBuilder masked = null;
		int copied = 0;
		int start = 0;
		int length = query.length();
		while (start <= length) {
			int end = query.indexOf('&', start);
			if (end < 0) {
				end = length;
			}
			int equals = query.indexOf('=', start);
			if (equals >= 0 && equals < end - 1 && isMasked(query, start, equals)) {
				if (masked == null) {
					masked = new StringBuilder(length);
				}
				masked.append(query, copied, equals + 1).append(MASK);
				copied = end;
			}
			start = end + 1;
		}
		if (masked == null) {
			return query;
		}
		return masked.append(query, copied, length).toString();
	}

	private boolean isMasked(String query, int start, int end) {
		int length = end - start;
		for (String name : this.names) {
			if (name.length() == length && query.regionMatches(true, start, name, 0, length)) {
				return true;
			}
		}
		// A name sent percent-encoded, such as access%5Ftoken
		int percent = query.indexOf('%', start);
		return percent >= 0 && percent < end && isMasked(decode(query, start, end));
	}

	private boolean isMasked(@Nullable String name) {
		if (name != null) {
			for (String candidate : this.names) {
				if (candidate.equalsIgnoreCase(name)) {
					return true;
				}
			}
		}
		return false;
	}

	private static @Nullable String decode(String query, int start, int end) {
		try {
			return URLDecoder.decode(query.substring(start, end), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
