package dev.twelvefactor.actuate;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * {@link MeterBinder} for the starter's configured concurrency and timeout and, when a
 * {@link RequestStatistics} bean exists, the request deadline's figures. Tomcat's own
 * thread-pool meters ({@code tomcat.threads.*}) come from Spring Boot.
 *
 * @author twelvefactor
 */
class TwelveFactorMetrics implements MeterBinder {

	private static final String SECONDS = "seconds";

	private static final String REQUESTS = "requests";

	private final EffectiveConfiguration configuration;

	private final Supplier<@Nullable RequestStatistics> statistics;

	TwelveFactorMetrics(EffectiveConfiguration configuration, Supplier<@Nullable RequestStatistics> statistics) {
		this.configuration = configuration;
		this.statistics = statistics;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		EffectiveConfiguration configuration = this.configuration;
		if (!configuration.adaptive()) {
			// Where the limit adapts, twelvefactor.requests.limit shows where it is
			Gauge.builder("twelvefactor.workers", () -> configuration.requestThreads() / configuration.properties().getThreads())
				.description("Workers configured (WEB_CONCURRENCY)")
				.strongReference(true)
				.register(registry);
			Gauge.builder("twelvefactor.threads.max", configuration::requestThreads)
				.description("Admission limit configured: workers x threads")
				.baseUnit(BaseUnits.THREADS)
				.strongReference(true)
				.register(registry);
		}
		Gauge.builder("twelvefactor.timeout", () -> configuration.properties().getTimeout().toMillis() / 1000.0)
			.description("Request deadline configured; 0 when it is off")
			.baseUnit(SECONDS)
			.strongReference(true)
			.register(registry);
		RequestStatistics statistics = this.statistics.get();
		if (statistics != null) {
			Gauge.builder("twelvefactor.requests.limit", statistics, RequestStatistics::limit)
				.description("Admission limit: requests that may run their handlers at once")
				.baseUnit(REQUESTS)
				.register(registry);
			Gauge.builder("twelvefactor.requests.waiting", statistics, RequestStatistics::waiting)
				.description("Requests waiting for admission")
				.baseUnit(REQUESTS)
				.register(registry);
			FunctionCounter.builder("twelvefactor.requests.shed", statistics, RequestStatistics::shedBacklogFull)
				.description("Requests answered 503 without being admitted")
				.tag("reason", "backlog")
				.baseUnit(REQUESTS)
				.register(registry);
			FunctionCounter.builder("twelvefactor.requests.shed", statistics, RequestStatistics::shedWaitedTooLong)
				.description("Requests answered 503 without being admitted")
				.tag("reason", "wait")
				.baseUnit(REQUESTS)
				.register(registry);
			FunctionTimer
				.builder("twelvefactor.requests.queue.wait", statistics, RequestStatistics::queueWaits,
						(figures) -> figures.totalQueueWait().toNanos(), TimeUnit.NANOSECONDS)
				.description("Time requests admitted after waiting waited, since their arrival")
				.register(registry);
			FunctionCounter.builder("twelvefactor.requests.deadline.exceeded", statistics, RequestStatistics::deadlinesHit)
				.description("Requests cut off at their deadline")
				.baseUnit(REQUESTS)
				.register(registry);
			Gauge.builder("twelvefactor.requests.active", statistics, RequestStatistics::inFlight)
				.description("Requests admitted and running their handlers")
				.baseUnit(REQUESTS)
				.register(registry);
			Gauge.builder("twelvefactor.threads.stuck", statistics, RequestStatistics::stuckThreads)
				.description("Request threads still running past their request's deadline")
				.baseUnit(BaseUnits.THREADS)
				.register(registry);
		}
	}

}
