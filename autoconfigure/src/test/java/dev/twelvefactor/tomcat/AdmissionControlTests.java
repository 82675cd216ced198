package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.twelvefactor.tomcat.AdmissionControl.Admission;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AdmissionControl} and the state of an {@link InFlightRequest}.
 *
 * @author twelvefactor
 */
class AdmissionControlTests {

	private final List<Boolean> liveness = new CopyOnWriteArrayList<>();

	private final AdmissionControl admission = new AdmissionControl(2, 1, Duration.ofSeconds(10), this.liveness::add);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void isIdleWithNothingAdmitted() throws InterruptedException {
		assertThat(this.admission.limit()).isEqualTo(2);
		assertThat(this.admission.inFlight()).isZero();
		assertThat(this.admission.waiting()).isZero();
		assertThat(this.admission.deadlinesHit()).isZero();
		assertThat(this.admission.stuckThreads()).isZero();
		assertThat(this.admission.awaitIdle(Duration.ZERO)).isTrue();
	}

	@Test
	void admitsUpToTheLimitAtOnce() throws InterruptedException {
		assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		assertThat(this.admission.inFlight()).isEqualTo(2);
		assertThat(this.admission.awaitIdle(Duration.ofMillis(20))).isFalse();
	}

	@Test
	void requestAdmittedTooLateGivesItsSlotBackAndCountsAsShed() throws InterruptedException {
		assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		this.admission.releaseAdmittedTooLate();
		assertThat(this.admission.inFlight()).isZero();
		assertThat(this.admission.shed(Admission.WAITED_TOO_LONG)).isOne();
		assertThat(this.admission.awaitIdle(Duration.ZERO)).isTrue();
	}

	@Test
	void requestPastTheLimitWaitsForASlotThatFreesUp() throws Exception {
		fill();
		CompletableFuture<Admission> waiting = admitAsync(System.nanoTime());
		awaitTrue(() -> this.admission.waiting() == 1);
		assertThat(waiting).isNotDone();
		this.admission.release(true);
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(Admission.ADMITTED);
		assertThat(this.admission.waiting()).isZero();
		assertThat(this.admission.inFlight()).isEqualTo(2);
		assertThat(this.admission.queueWaits()).isOne();
		assertThat(this.admission.totalQueueWait()).isPositive();
	}

	@Test
	void requestPastTheBacklogIsShedAtOnce() throws Exception {
		fill();
		CompletableFuture<Admission> waiting = admitAsync(System.nanoTime());
		awaitTrue(() -> this.admission.waiting() == 1);
		long start = System.nanoTime();
		assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.BACKLOG_FULL);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.admission.shed(Admission.BACKLOG_FULL)).isOne();
		this.admission.release(true);
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(Admission.ADMITTED);
	}

	@Test
	void waitCountsFromArrivalAndEndsAtTheWaitBound() throws InterruptedException {
		AdmissionControl admission = new AdmissionControl(1, 10, Duration.ofMillis(300), (live) -> {
		});
		assertThat(admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		long start = System.nanoTime();
		assertThat(admission.admit(start)).isEqualTo(Admission.WAITED_TOO_LONG);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
				Duration.ofSeconds(2));
		// Arrived longer ago than the wait bound: shed without waiting
		long arrivedLongAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
		long before = System.nanoTime();
		assertThat(admission.admit(arrivedLongAgo)).isEqualTo(Admission.WAITED_TOO_LONG);
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(250));
		assertThat(admission.shed(Admission.WAITED_TOO_LONG)).isEqualTo(2);
		assertThat(admission.waiting()).isZero();
	}

	@Test
	void slotsGoToTheRequestsThatWaitedLongest() throws Exception {
		AdmissionControl admission = new AdmissionControl(1, 10, Duration.ofSeconds(10), (live) -> {
		});
		assertThat(admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> waiting = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			int number = i;
			waiting.add(CompletableFuture.runAsync(() -> {
				try {
					assertThat(admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
					order.add(number);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}, this.threads));
			int expected = i + 1;
			awaitTrue(() -> admission.waiting() == expected);
		}
		for (int i = 0; i < 3; i++) {
			admission.release(true);
			int expected = i + 1;
			awaitTrue(() -> order.size() == expected);
		}
		CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
		assertThat(order).containsExactly(0, 1, 2);
	}

	@Test
	void awaitIdleReturnsWhenTheLastSlotIsGivenBack() throws Exception {
		fill();
		CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
			try {
				return this.admission.awaitIdle(Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		}, this.threads);
		this.admission.release(true);
		assertThat(this.admission.inFlight()).isOne();
		this.admission.release(true);
		assertThat(idle.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.admission.inFlight()).isZero();
	}

	@Test
	void requestIsStuckOnlyAGraceAfterItsThreadWasInterrupted() {
		InFlightRequest request = request();
		this.admission.add(request);
		assertThat(request.timeOut()).isTrue();
		assertThat(this.admission.stuckThreads()).isZero();
		request.settle(() -> false, () -> {
		});
		Thread.interrupted();
		assertThat(this.admission.stuckThreads()).isZero();
		long interrupted = System.nanoTime();
		assertThat(request.isStuck(interrupted + AdmissionControl.STUCK_GRACE.toNanos() + 1,
				AdmissionControl.STUCK_GRACE))
			.isTrue();
		this.admission.remove(request);
		assertThat(this.admission.stuckThreads()).isZero();
	}

	@Test
	void livenessBreaksWhenMoreThreadsThanTheLimitAreStuckAndRecoversWhenTheyReturn() {
		List<InFlightRequest> stuck = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			InFlightRequest request = request();
			this.admission.add(request);
			assertThat(request.timeOut()).isTrue();
			request.settle(() -> false, () -> {
			});
			Thread.interrupted();
			stuck.add(request);
		}
		long later = System.nanoTime() + AdmissionControl.STUCK_GRACE.toNanos() + 1;
		this.admission.checkStuckThreads(later);
		assertThat(this.liveness).containsExactly(false);
		this.admission.checkStuckThreads(later);
		assertThat(this.liveness).containsExactly(false);
		this.admission.remove(stuck.get(0));
		this.admission.checkStuckThreads(later);
		assertThat(this.liveness).containsExactly(false, true);
	}

	@Test
	void adaptiveLimitAdmitsMoreWhenMoreAtOnceServeMore() throws Exception {
		AdmissionControl admission = AdmissionControl.adaptive(new AdaptiveLimit(2, 10), 10, Duration.ofSeconds(10),
				(live) -> {
				}, () -> 0.3);
		assertThat(admission.isAdaptive()).isTrue();
		long start = System.nanoTime();
		for (int i = 0; i < 2; i++) {
			assertThat(admission.admit(start)).isEqualTo(Admission.ADMITTED);
		}
		// Twenty requests complete at the limit of two, then one more arrives and waits
		for (int i = 0; i < 20; i++) {
			admission.release(true);
			assertThat(admission.admit(start)).isEqualTo(Admission.ADMITTED);
		}
		CompletableFuture<Admission> waiting = admitAsync(admission, start);
		awaitTrue(() -> admission.waiting() == 1);
		long later = start + AdmissionControl.ADAPT_INTERVAL.toNanos() + 1;
		admission.adapt(later);
		assertThat(admission.limit()).isEqualTo(3);
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(Admission.ADMITTED);
		assertThat(admission.inFlight()).isEqualTo(3);
		// None complete after the move: it is undone, and no one is admitted until two of
		// the three give their slot back
		admission.adapt(later + AdmissionControl.ADAPT_INTERVAL.toNanos() * 20);
		assertThat(admission.limit()).isEqualTo(2);
		assertThat(admission.inFlight()).isEqualTo(3);
		CompletableFuture<Admission> next = admitAsync(admission, System.nanoTime());
		awaitTrue(() -> admission.waiting() == 1);
		admission.release(true);
		assertThat(next).isNotDone();
		admission.release(true);
		assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(Admission.ADMITTED);
	}

	@Test
	void fixedLimitDoesNotAdapt() throws InterruptedException {
		fill();
		for (int i = 0; i < 20; i++) {
			this.admission.release(true);
			assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		}
		this.admission.adapt(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
		assertThat(this.admission.isAdaptive()).isFalse();
		assertThat(this.admission.limit()).isEqualTo(2);
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
	void requestIsPastItsDeadlineOnlyWhileRunningAndOnlyWithADeadline() {
		long now = System.nanoTime();
		InFlightRequest request = new InFlightRequest("GET", "/", response(), Thread.currentThread(), now,
				TimeUnit.SECONDS.toNanos(1));
		assertThat(request.isPastDeadline(now + TimeUnit.MILLISECONDS.toNanos(999))).isFalse();
		assertThat(request.isPastDeadline(now + TimeUnit.SECONDS.toNanos(1))).isTrue();
		assertThat(request.complete()).isTrue();
		assertThat(request.isPastDeadline(now + TimeUnit.SECONDS.toNanos(2))).isFalse();
		InFlightRequest noDeadline = new InFlightRequest("GET", "/", response(), Thread.currentThread(), now, 0);
		assertThat(noDeadline.isPastDeadline(now + TimeUnit.DAYS.toNanos(1))).isFalse();
	}

	@Test
	void countsDeadlinesHit() {
		this.admission.deadlineHit();
		this.admission.deadlineHit();
		assertThat(this.admission.deadlinesHit()).isEqualTo(2);
	}

	private void fill() throws InterruptedException {
		for (int i = 0; i < this.admission.limit(); i++) {
			assertThat(this.admission.admit(System.nanoTime())).isEqualTo(Admission.ADMITTED);
		}
	}

	private CompletableFuture<Admission> admitAsync(long arrival) {
		return admitAsync(this.admission, arrival);
	}

	private CompletableFuture<Admission> admitAsync(AdmissionControl admission, long arrival) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return admission.admit(arrival);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		}, this.threads);
	}

	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static InFlightRequest request() {
		return new InFlightRequest("GET", "/", response(), Thread.currentThread(), System.nanoTime(), 0);
	}

	private static Response response() {
		return new Response(new org.apache.coyote.Response());
	}

}
