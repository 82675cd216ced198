package dev.twelvefactor.config;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports every invalid setting at once, each with the name the user wrote, the value
 * (unless it may be secret), what is accepted and what to do, and why security settings
 * (TLS, the address, the access log's mask) stop the start even with
 * {@code on-invalid=default}.
 *
 * @author twelvefactor
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		int count = cause.getInvalidValues().size();
		StringBuilder description = new StringBuilder("twelvefactor found ")
			.append((count == 1) ? "an invalid setting" : count + " invalid settings")
			.append(":\n");
		StringBuilder action = new StringBuilder();
		Set<String> failingClosed = new LinkedHashSet<>();
		for (InvalidValue value : cause.getInvalidValues()) {
			description.append("\n    ").append(value.describe());
			action.append(value.action()).append('\n');
			String reason = value.setting().failsClosedBecause();
			if (reason != null) {
				failingClosed.add(reason);
			}
		}
		if (!failingClosed.isEmpty()) {
			description.append("\n");
			failingClosed.forEach((reason) -> description.append("\n").append(reason));
		}
		else {
			action.append("\nOr set TWELVEFACTOR_ON_INVALID=default to start with the default in place of each "
					+ "invalid value.");
		}
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
