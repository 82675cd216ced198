package dev.twelvefactor.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints of the sample service: a greeting, one that says what it sees of its client,
 * one that sleeps to show the request deadline and graceful shutdown at work, one that
 * works and says how many handlers work at once, to show admission control at work, and
 * one that ignores interrupts, as a handler blocked in non-interruptible I/O does.
 *
 * @author twelvefactor
 */
@RestController
class SampleController {

	private static final Log logger = LogFactory.getLog(SampleController.class);

	private static final long MAX_SLEEP_MILLIS = 600_000;

	private static final long MAX_COMPUTE_MILLIS = 10_000;

	private final AtomicInteger running = new AtomicInteger();

	@GetMapping("/")
	Map<String, String> hello() {
		return Map.of("message", "Hello from twelvefactor");
	}

	/**
	 * Say what the application sees of its client: the address, and the scheme it reached
	 * the service with, which a proxy it trusts may tell in X-Forwarded-For and
	 * X-Forwarded-Proto.
	 * @param request the request
	 * @return the client's address and scheme
	 */
	@GetMapping("/client")
	Map<String, Object> client(HttpServletRequest request) {
		Map<String, Object> client = new LinkedHashMap<>();
		client.put("remoteAddr", request.getRemoteAddr());
		client.put("scheme", request.getScheme());
		client.put("secure", request.isSecure());
		return client;
	}

	@GetMapping("/sleep")
	Map<String, Object> sleep(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
		long millis = Math.max(0, Math.min(ms, MAX_SLEEP_MILLIS));
		logger.info("Sleeping " + millis + " ms");
		Thread.sleep(millis);
		return Map.of("slept", millis);
	}

	/**
	 * Work for a while (waiting, as on a database), and say how many handlers of this
	 * endpoint were working, this one included, when this one started.
	 * @param ms how long to work, in milliseconds
	 * @return what was done
	 * @throws InterruptedException if interrupted, at the request's deadline
	 */
	@GetMapping("/work")
	Map<String, Object> work(@RequestParam(defaultValue = "100") long ms) throws InterruptedException {
		long millis = Math.max(0, Math.min(ms, MAX_SLEEP_MILLIS));
		int running = this.running.incrementAndGet();
		try {
			Thread.sleep(millis);
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("worked", millis);
			result.put("running", running);
			return result;
		}
		finally {
			this.running.decrementAndGet();
		}
	}

	/**
	 * Compute for the given CPU time, as a CPU-bound handler does.
	 * @param ms the CPU time to use, in milliseconds
	 * @return what was done
	 */
	@GetMapping("/compute")
	Map<String, Object> compute(@RequestParam(defaultValue = "5") long ms) {
		long millis = Math.max(0, Math.min(ms, MAX_COMPUTE_MILLIS));
		return Map.of("computed", millis, "result", Work.compute(millis));
	}

	/**
	 * Wait, ignoring interrupts, as a handler blocked in non-interruptible I/O would: it
	 * waits on, using no CPU.
	 * @param ms how long to wait, in milliseconds
	 * @return what was done
	 */
	@GetMapping("/stuck")
	Map<String, Object> stuck(@RequestParam(defaultValue = "10000") long ms) {
		long millis = Math.max(0, Math.min(ms, MAX_SLEEP_MILLIS));
		logger.info("Stuck for " + millis + " ms");
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				// Ignored, and the interrupt cleared: the wait goes on
			}
		}
		return Map.of("stuck", millis);
	}

}
