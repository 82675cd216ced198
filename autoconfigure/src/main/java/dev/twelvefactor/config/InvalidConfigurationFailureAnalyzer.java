package dev.twelvefactor.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports every invalid setting at once, each with the name the user wrote, the value,
 * what is accepted and what to do.
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
		for (InvalidValue value : cause.getInvalidValues()) {
			description.append("\n    ").append(value.describe());
			action.append(value.action()).append('\n');
		}
		action.append("\nOr set TWELVEFACTOR_ON_INVALID=default to start with the default in place of each "
				+ "invalid value.");
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
