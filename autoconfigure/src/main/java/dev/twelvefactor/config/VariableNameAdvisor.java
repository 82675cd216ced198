package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Finds environment variables that look like a mistyped name of one the starter reads, and
 * {@code TWELVEFACTOR_*} variables it does not know.
 *
 * @author twelvefactor
 */
final class VariableNameAdvisor {

	static final String PREFIX = "TWELVEFACTOR_";

	/**
	 * Well-known variables of other tools that happen to be close to one of ours.
	 */
	private static final Set<String> OTHER_TOOLS = Set.of("SSL_CERT_FILE", "SSL_CERT_DIR");

	private final Set<String> known;

	private final Set<String> conventional;

	VariableNameAdvisor() {
		this.known = new LinkedHashSet<>();
		this.conventional = new LinkedHashSet<>();
		for (Setting setting : Setting.all()) {
			this.known.add(setting.canonicalVariable());
			this.known.add(setting.relaxedVariable());
			if (setting.conventionalVariable() != null) {
				this.conventional.add(setting.conventionalVariable());
			}
		}
		this.conventional.addAll(ConventionalVariables.GUNICORN_VARIABLES);
		this.known.addAll(this.conventional);
	}

	List<String> advise(Collection<String> variables) {
		List<String> advice = new ArrayList<>();
		for (String variable : variables) {
			String upper = variable.toUpperCase(Locale.ROOT);
			boolean prefixed = upper.startsWith(PREFIX);
			// TWELVEFACTOR_* variables are read in any case, the conventional ones as written
			if (this.known.contains(prefixed ? upper : variable) || OTHER_TOOLS.contains(variable)) {
				continue;
			}
			String suggestion = closest(upper, prefixed ? this.known : this.conventional);
			if (suggestion != null && variables.contains(suggestion) && !prefixed) {
				continue;
			}
			String printable = Values.printable(variable);
			if (suggestion != null) {
				advice.add("Environment variable " + printable + " is not read by twelvefactor; did you mean "
						+ suggestion + "?");
			}
			else if (prefixed) {
				advice.add("Environment variable " + printable + " is not a twelvefactor setting and is ignored");
			}
		}
		return advice;
	}

	private @Nullable String closest(String variable, Set<String> candidates) {
		String closest = null;
		int best = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = distance(variable, candidate);
			int allowed = (candidate.length() >= 6) ? 2 : 1;
			if (distance <= allowed && distance < best) {
				best = distance;
				closest = candidate;
			}
		}
		return closest;
	}

	/**
	 * Optimal string alignment distance: insertions, deletions, substitutions and
	 * transpositions of adjacent characters each count one edit.
	 */
	static int distance(String a, String b) {
		if (Math.abs(a.length() - b.length()) > 2) {
			return Integer.MAX_VALUE;
		}
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
