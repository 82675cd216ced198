package dev.twelvefactor.actuate;

import java.time.Duration;

import dev.twelvefactor.tomcat.AdmissionControl;
import dev.twelvefactor.tomcat.AdmissionControl.Admission;

/**
 * {@link RequestStatistics} of the starter's {@link AdmissionControl}.
 *
 * @author twelvefactor
 */
final class AdmissionStatistics implements RequestStatistics {

	private final AdmissionControl admission;

	AdmissionStatistics(AdmissionControl admission) {
		this.admission = admission;
	}

	@Override
	public int limit() {
		return this.admission.limit();
	}

	@Override
	public int inFlight() {
		return this.admission.inFlight();
	}

	@Override
	public int waiting() {
		return this.admission.waiting();
	}

	@Override
	public long shedBacklogFull() {
		return this.admission.shed(Admission.BACKLOG_FULL);
	}

	@Override
	public long shedWaitedTooLong() {
		return this.admission.shed(Admission.WAITED_TOO_LONG);
	}

	@Override
	public long queueWaits() {
		return this.admission.queueWaits();
	}

	@Override
	public Duration totalQueueWait() {
		return this.admission.totalQueueWait();
	}

	@Override
	public long deadlinesHit() {
		return this.admission.deadlinesHit();
	}

	@Override
	public int stuckThreads() {
		return this.admission.stuckThreads();
	}

}
