package dev.twelvefactor.lifecycle;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a memory budget that does not fit, found in check mode, with what to change.
 *
 * @author twelvefactor
 */
class MemoryBudgetFailureAnalyzer extends AbstractFailureAnalyzer<MemoryBudgetException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MemoryBudgetException cause) {
		return new FailureAnalysis("Configuration check failed. " + cause.getBudget().explain(),
				"Change one of the values named above and run the check again.",
				cause);
	}

}
