package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
/**
 * Tests for {@link RequestDeadlineMonitor}.
 *
 * @author twelvefactor
 */
class RequestDeadlineMonitorTests {

	private final RequestDeadlineMonitor monitor = new RequestDeadlineMonitor();

	@Test
	void isIdleWithNothingInFlight() throws InterruptedException {
		assertThat(this.monitor.inFlight()).isZero();
		assertThat(this.monitor.deadlinesHit()).isZero();
		assertThat(this.monitor.stuckThreads()).isZero();
		assertThat(this.monitor.awaitIdle(Duration.ZERO)).isTrue();
	}

	@Test
	void awaitIdleGivesUpWhileARequestIsInFlight() throws InterruptedException {
		this.monitor.add(request());
		assertThat(this.monitor.inFlight()).isOne();
		assertThat(this.monitor.awaitIdle(Duration.ofMillis(50))).isFalse();
	}

	@Test
	void awaitIdleReturnsWhenTheLastRequestCompletes() throws Exception {
		InFlightRequest first = request();
		InFlightRequest second = request();
		this.monitor.add(first);
		this.monitor.add(second);
		CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
			try {
				return this.monitor.awaitIdle(Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.monitor.remove(first);
		assertThat(this.monitor.inFlight()).isOne();
		this.monitor.remove(second);
		assertThat(idle.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.monitor.inFlight()).isZero();
	}

	@Test
	void requestIsStuckOnlyAGraceAfterItsThreadWasInterrupted() {
		InFlightRequest request = request();
		this.monitor.add(request);
		assertThat(request.timeOut()).isTrue();
		assertThat(this.monitor.stuckThreads()).isZero();
		request.settle(() -> false, () -> {
		});
		Thread.interrupted();
		assertThat(this.monitor.stuckThreads()).isZero();
		long interrupted = System.nanoTime();
		assertThat(request.isStuck(interrupted + RequestDeadlineMonitor.STUCK_GRACE.toNanos() + 1,
				RequestDeadlineMonitor.STUCK_GRACE))
			.isTrue();
		this.monitor.remove(request);
		assertThat(this.monitor.stuckThreads()).isZero();
	}

	@Test
	void requestCompletedInTimeCannotTimeOut() {
		InFlightRequest request = request();
		assertThat(request.complete()).isTrue();
		assertThat(request.timeOut()).isFalse();
		assertThat(request.isTimedOut()).isFalse();
	}

	@Test
	void requestTimedOutCannotComplete() {
		InFlightRequest request = request();
		assertThat(request.timeOut()).isTrue();
		assertThat(request.complete()).isFalse();
		assertThat(request.isTimedOut()).isTrue();
	}

	@Test
	void countsDeadlinesHit() {
		this.monitor.deadlineHit();
		this.monitor.deadlineHit();
		assertThat(this.monitor.deadlinesHit()).isEqualTo(2);
	}

	private InFlightRequest request() {
		Response response = new Response(new org.apache.coyote.Response());
		return new InFlightRequest("GET", "/", response, Thread.currentThread(), System.nanoTime());
	}

}
