package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Finds environment variables that look like a mistyped name of one the starter reads,
 * {@code TWELVEFACTOR_*} variables it does not know, and variables that set the same
 * setting to different values.
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

	/**
	 * Return the warnings about the given environment variables: a name close to one the
	 * starter reads, or a {@code TWELVEFACTOR*} name it does not know, and two variables
	 * that set the same setting to different values, naming the one that wins. A variable
	 * is read when {@link ConventionalVariables#bySetting(Map)} says so, as it decides
	 * what runs: a warning never says that a variable is ignored when it is applied.
	 * @param variables the environment variables, by name
	 * @return the warnings
	 */
	List<String> advise(Map<String, Object> variables) {
		Map<Setting, List<String>> bySetting = ConventionalVariables.bySetting(variables);
		Set<String> read = new HashSet<>();
		bySetting.values().forEach(read::addAll);
		List<String> advice = new ArrayList<>();
		for (String variable : variables.keySet()) {
			String upper = variable.toUpperCase(Locale.ROOT);
			boolean prefixed = isPrefixed(upper);
			// TWELVEFACTOR_* variables are read in any case, the conventional ones as written
			if (read.contains(variable) || this.known.contains(prefixed ? upper : variable)
					|| OTHER_TOOLS.contains(variable)) {
				continue;
			}
			String suggestion = closest(upper, prefixed ? this.known : this.conventional);
			if (suggestion != null && variables.containsKey(suggestion) && !prefixed) {
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
		bySetting.forEach((setting, names) -> {
			String winner = names.get(0);
			for (String other : names.subList(1, names.size())) {
				if (!sameValue(setting, variables, winner, other)) {
					advice.add("Environment variables " + Values.escape(winner) + " and " + Values.escape(other)
							+ " both set " + setting.propertyName() + ": " + Values.escape(winner) + " wins and "
							+ Values.escape(other) + " is ignored");
				}
			}
		});
		return advice;
	}

	/**
	 * Return whether a name is {@code TWELVEFACTOR} followed by a separator of any kind,
	 * as a mistyped {@code TWELVEFACTOR-WORKERS} is.
	 */
	private static boolean isPrefixed(String upper) {
		return upper.length() > PREFIX.length() - 1 && upper.startsWith(PREFIX.substring(0, PREFIX.length() - 1))
				&& !Character.isLetterOrDigit(upper.charAt(PREFIX.length() - 1));
	}

	private static boolean sameValue(Setting setting, Map<String, Object> variables, String one, String other) {
		String first = Values.trim(String.valueOf(variables.get(one)));
		String second = Values.trim(String.valueOf(variables.get(other)));
		if (first.equals(second)) {
			return true;
		}
		if (setting.name().equals("bind") && (one.equals(ConventionalVariables.PORT)
				|| other.equals(ConventionalVariables.PORT))) {
			String port = one.equals(ConventionalVariables.PORT) ? first : second;
			String bind = one.equals(ConventionalVariables.PORT) ? second : first;
			try {
				return Bind.valueOf(bind).equals(new Bind(Bind.ALL_IPV4_INTERFACES, Bind.parsePort(port)));
			}
			catch (InvalidValueException ex) {
				return false;
			}
		}
		return false;
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
