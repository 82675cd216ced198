package dev.twelvefactor.bench.plain;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's endpoints, line for line, so both applications do the same work per
 * request.
 *
 * @author twelvefactor
 */
@RestController
class PlainController {

	private static final Log logger = LogFactory.getLog(PlainController.class);

	private static final long MAX_SLEEP_MILLIS = 600_000;

	private static final long MAX_COMPUTE_MILLIS = 10_000;

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	@GetMapping("/")
	Map<String, String> hello() {
		return Map.of("message", "Hello from twelvefactor");
	}

	@GetMapping("/compute")
	Map<String, Object> compute(@RequestParam(defaultValue = "5") long ms) {
		long millis = Math.max(0, Math.min(ms, MAX_COMPUTE_MILLIS));
		long budget = TimeUnit.MILLISECONDS.toNanos(millis);
		long startCpu = threads.getCurrentThreadCpuTime();
		long startWall = System.nanoTime();
		long result = 17;
		while (true) {
			for (int i = 0; i < 1000; i++) {
				result = result * 31 + (result >>> 7) + i;
			}
			long cpu = threads.getCurrentThreadCpuTime();
			long spent = (cpu >= 0 && startCpu >= 0) ? cpu - startCpu : System.nanoTime() - startWall;
			if (spent >= budget) {
				return Map.of("computed", millis, "result", result);
			}
		}
	}

	@GetMapping("/sleep")
	Map<String, Object> sleep(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
		long millis = Math.max(0, Math.min(ms, MAX_SLEEP_MILLIS));
		logger.info("Sleeping " + millis + " ms");
		Thread.sleep(millis);
		return Map.of("slept", millis);
	}

}
