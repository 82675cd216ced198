package dev.twelvefactor.lifecycle;

import org.springframework.boot.ExitCodeGenerator;

import dev.twelvefactor.config.MemoryBudget;

/**
 * Thrown in check mode when the memory budget does not fit: the configuration would start,
 * and the kernel would kill it once the load fills its heap.
 *
 * @author twelvefactor
 */
class MemoryBudgetException extends RuntimeException implements ExitCodeGenerator {

	private final MemoryBudget budget;

	/**
	 * Create an exception for the given budget.
	 * @param budget the budget that does not fit
	 */
	MemoryBudgetException(MemoryBudget budget) {
		super(budget.explain());
		this.budget = budget;
	}

	/**
	 * Return the budget that does not fit.
	 * @return the budget
	 */
	MemoryBudget getBudget() {
		return this.budget;
	}

	@Override
	public int getExitCode() {
		return 1;
	}

}
