package dev.twelvefactor.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.logging.LogLevel;

/**
 * Configuration properties of the twelvefactor starter: the one typed model of its
 * settings. Each can also be set through its canonical environment variable
 * ({@code TWELVEFACTOR_WORKERS}) and, where Gunicorn or the platforms have one, through
 * its conventional variable ({@code WEB_CONCURRENCY}).
 * <p>
 * Values are converted strictly (see {@link SettingsBindHandler}): a whole number is
 * ASCII digits within its {@link WholeNumber bounds}, a bare number of a duration means
 * seconds. An invalid value leaves the field at its default; what the starter does about
 * it is decided by {@link #getOnInvalid() on-invalid}.
 *
 * @author twelvefactor
 */
@ConfigurationProperties("twelvefactor")
public class TwelveFactorProperties {

	/**
	 * Whether the starter is on. When false, the application runs exactly as plain Spring
	 * Boot would, whatever the other settings and variables say.
	 */
	private boolean enabled = true;

	/**
	 * Address and port to listen on, as host:port, [ipv6]:port or :port. The PORT
	 * environment variable sets the port on all IPv4 interfaces when this is not set.
	 */
	private Bind bind = Bind.DEFAULT;

	/**
	 * Number of workers, as Gunicorn's WEB_CONCURRENCY: at most workers x threads
	 * requests run their handlers at once, on platform and virtual threads alike; the
	 * others wait for admission. A number fixes the limit; 'auto' lets it adapt to the
	 * load, from max(3, 2 x cores + 1), with the cores the JVM sees, up to max-workers.
	 * Defaults to auto.
	 */
	private @Nullable Workers workers;

	/**
	 * Most workers the admission limit may adapt up to when workers are 'auto'. Left
	 * unset, fewer where the memory budget cannot hold the stacks of 200 request threads.
	 */
	@WholeNumber(min = 1, max = 10000)
	private int maxWorkers = 200;

	/**
	 * Requests per worker, as Gunicorn's threads setting: the admission limit is workers x
	 * threads.
	 */
	@WholeNumber(min = 1, max = 1000)
	private int threads = 1;

	/**
	 * Request deadline, as Gunicorn's timeout (GUNICORN_TIMEOUT), counted from the request's
	 * arrival: a request still running, or still waiting for admission, when it passes
	 * gets a 503 and its thread is interrupted. Also the connection timeout. A bare number
	 * means seconds; 0 turns the deadline off.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeout = Duration.ofSeconds(60);

	/**
	 * Time in-flight requests get to finish on shutdown. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration gracefulTimeout = Duration.ofSeconds(30);

	/**
	 * Time to go on serving after SIGTERM, readiness refusing traffic and every response
	 * closing its connection, so that load balancers take the replica out before the
	 * graceful shutdown begins. A second SIGTERM, or SIGINT, cuts it short. Defaults to 5
	 * seconds on Kubernetes, 0 elsewhere. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration drainDelay;

	/**
	 * Time to wait for the next request on a kept-alive connection. Defaults to Tomcat's,
	 * the connection timeout. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration keepAlive;

	/**
	 * How many requests may wait for admission while workers x threads requests run, as
	 * Gunicorn's backlog. Past it, a request gets a 503 with Retry-After at once.
	 */
	@WholeNumber(min = 1, max = 65535)
	private int backlog = 100;

	/**
	 * Longest time a request may wait for admission before it gets a 503 with
	 * Retry-After. The wait counts against its timeout. Defaults to half the timeout, at
	 * most 10 seconds. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxQueueWait;

	/**
	 * Root log level (LOG_LEVEL): trace, debug, info, warn (or warning), error (or
	 * critical) or off, in any case.
	 */
	private LogLevel logLevel = LogLevel.INFO;

	/**
	 * Access log target: '-' or 'stdout' for standard output, 'off' for none, anything
	 * else a file path that is appended to.
	 */
	private AccessLogTarget accessLog = AccessLogTarget.STDOUT;

	/**
	 * Access log line format: 'combined' (Gunicorn's default), 'common', 'json', 'ecs'
	 * (Elastic Common Schema), or a Tomcat access log pattern.
	 */
	private AccessLogFormat accessLogFormat = AccessLogFormat.COMBINED;

	/**
	 * Regular expression on the request path of requests not to access-log, unless their
	 * status is 400 or above.
	 */
	private @Nullable Pattern accessLogExclude;

	/**
	 * Names of the query parameters whose values the access log masks, separated by
	 * commas, or 'none'. Authorization, Proxy-Authorization, Cookie and Set-Cookie values
	 * are never logged.
	 */
	private AccessLogMask accessLogMask = AccessLogMask.DEFAULT;

	/**
	 * Where the application's console log goes: '-' or 'stderr' for standard error,
	 * 'stdout' for standard output.
	 */
	private ConsoleTarget errorLog = ConsoleTarget.STDERR;

	/**
	 * HTTPS from PEM files.
	 */
	private final Ssl ssl = new Ssl();

	/**
	 * What an invalid value does: 'fail' stops the start with a report of every invalid
	 * value, 'default' replaces each with its default and logs a warning, but for the
	 * security settings (TLS, bind, access-log-mask), which stop the start either way.
	 */
	private OnInvalid onInvalid = OnInvalid.FAIL;

	/**
	 * Whether to validate the configuration, print the startup report and exit, without
	 * opening a port.
	 */
	private boolean check;

	/**
	 * Longest request line, in bytes, as Gunicorn's limit_request_line: a request with a
	 * longer one gets a 400. 0 leaves only Tomcat's limit on the whole request head.
	 */
	@WholeNumber(min = 0, max = 65536)
	private int limitRequestLine = 4094;

	/**
	 * Most header fields a request may have, as Gunicorn's limit_request_fields: a request
	 * with more gets a 431. 0 means 32768, Gunicorn's largest.
	 */
	@WholeNumber(min = 0, max = 32768)
	private int limitRequestFields = 100;

	/**
	 * Largest header field, its name, value and line end, in bytes, as Gunicorn's
	 * limit_request_field_size: a request with a larger one gets a 431. 0 leaves only
	 * Tomcat's limit on the whole request head.
	 */
	@WholeNumber(min = 0, max = 65536)
	private int limitRequestFieldSize = 8190;

	/**
	 * Peers trusted to tell the client's address and scheme in X-Forwarded-For and
	 * X-Forwarded-Proto, as Gunicorn's FORWARDED_ALLOW_IPS: '*', or IP addresses and CIDR
	 * networks separated by commas.
	 */
	private ForwardedAllowIps forwardedAllowIps = ForwardedAllowIps.DEFAULT;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Bind getBind() {
		return this.bind;
	}

	public void setBind(Bind bind) {
		this.bind = bind;
	}

	public @Nullable Workers getWorkers() {
		return this.workers;
	}

	public void setWorkers(@Nullable Workers workers) {
		this.workers = workers;
	}

	public int getMaxWorkers() {
		return this.maxWorkers;
	}

	public void setMaxWorkers(int maxWorkers) {
		this.maxWorkers = maxWorkers;
	}

	public int getThreads() {
		return this.threads;
	}

	public void setThreads(int threads) {
		this.threads = threads;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getGracefulTimeout() {
		return this.gracefulTimeout;
	}

	public void setGracefulTimeout(Duration gracefulTimeout) {
		this.gracefulTimeout = gracefulTimeout;
	}

	public @Nullable Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(@Nullable Duration drainDelay) {
		this.drainDelay = drainDelay;
	}

	public @Nullable Duration getKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(@Nullable Duration keepAlive) {
		this.keepAlive = keepAlive;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public void setBacklog(int backlog) {
		this.backlog = backlog;
	}

	public @Nullable Duration getMaxQueueWait() {
		return this.maxQueueWait;
	}

	public void setMaxQueueWait(@Nullable Duration maxQueueWait) {
		this.maxQueueWait = maxQueueWait;
	}

	public LogLevel getLogLevel() {
		return this.logLevel;
	}

	public void setLogLevel(LogLevel logLevel) {
		this.logLevel = logLevel;
	}

	public AccessLogTarget getAccessLog() {
		return this.accessLog;
	}

	public void setAccessLog(AccessLogTarget accessLog) {
		this.accessLog = accessLog;
	}

	public AccessLogFormat getAccessLogFormat() {
		return this.accessLogFormat;
	}

	public void setAccessLogFormat(AccessLogFormat accessLogFormat) {
		this.accessLogFormat = accessLogFormat;
	}

	public @Nullable Pattern getAccessLogExclude() {
		return this.accessLogExclude;
	}

	public void setAccessLogExclude(@Nullable Pattern accessLogExclude) {
		this.accessLogExclude = accessLogExclude;
	}

	public AccessLogMask getAccessLogMask() {
		return this.accessLogMask;
	}

	public void setAccessLogMask(AccessLogMask accessLogMask) {
		this.accessLogMask = accessLogMask;
	}

	public ConsoleTarget getErrorLog() {
		return this.errorLog;
	}

	public void setErrorLog(ConsoleTarget errorLog) {
		this.errorLog = errorLog;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public OnInvalid getOnInvalid() {
		return this.onInvalid;
	}

	public void setOnInvalid(OnInvalid onInvalid) {
		this.onInvalid = onInvalid;
	}

	public boolean isCheck() {
		return this.check;
	}

	public void setCheck(boolean check) {
		this.check = check;
	}

	public int getLimitRequestLine() {
		return this.limitRequestLine;
	}

	public void setLimitRequestLine(int limitRequestLine) {
		this.limitRequestLine = limitRequestLine;
	}

	public int getLimitRequestFields() {
		return this.limitRequestFields;
	}

	public void setLimitRequestFields(int limitRequestFields) {
		this.limitRequestFields = limitRequestFields;
	}

	public int getLimitRequestFieldSize() {
		return this.limitRequestFieldSize;
	}

	public void setLimitRequestFieldSize(int limitRequestFieldSize) {
		this.limitRequestFieldSize = limitRequestFieldSize;
	}

	public ForwardedAllowIps getForwardedAllowIps() {
		return this.forwardedAllowIps;
	}

	public void setForwardedAllowIps(ForwardedAllowIps forwardedAllowIps) {
		this.forwardedAllowIps = forwardedAllowIps;
	}

	/**
	 * HTTPS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle, in Spring Boot's {@code SslBundles}, that serves the
		 * certificate and key.
		 */
		public static final String BUNDLE = "twelvefactor";

		/**
		 * Path of the PEM certificate, or certificate chain, to serve (SSL_CERTFILE).
		 */
		@Pem(Pem.Content.CERTIFICATE)
		private @Nullable String certfile;

		/**
		 * Path of the PEM private key of the certificate (SSL_KEYFILE).
		 */
		@Pem(Pem.Content.PRIVATE_KEY)
		private @Nullable String keyfile;

		/**
		 * Path of PEM CA certificates that client certificates must chain to
		 * (SSL_CA_CERTS). Setting it makes client certificates required.
		 */
		@Pem(Pem.Content.CERTIFICATE)
		private @Nullable String caCerts;

		/**
		 * How long before the certificate expires the start warns about it. A bare number
		 * means days.
		 */
		@DurationUnit(ChronoUnit.DAYS)
		@MaxDuration(days = 365)
		private Duration expiryWarning = Duration.ofDays(30);

		/**
		 * Whether to start, with a warning, with a certificate that has expired or is not
		 * valid yet, rather than refuse to.
		 */
		private boolean allowInvalidDates;

		public @Nullable String getCertfile() {
			return this.certfile;
		}

		public void setCertfile(@Nullable String certfile) {
			this.certfile = certfile;
		}

		public @Nullable String getKeyfile() {
			return this.keyfile;
		}

		public void setKeyfile(@Nullable String keyfile) {
			this.keyfile = keyfile;
		}

		public @Nullable String getCaCerts() {
			return this.caCerts;
		}

		public void setCaCerts(@Nullable String caCerts) {
			this.caCerts = caCerts;
		}

		public Duration getExpiryWarning() {
			return this.expiryWarning;
		}

		public void setExpiryWarning(Duration expiryWarning) {
			this.expiryWarning = expiryWarning;
		}

		public boolean isAllowInvalidDates() {
			return this.allowInvalidDates;
		}

		public void setAllowInvalidDates(boolean allowInvalidDates) {
			this.allowInvalidDates = allowInvalidDates;
		}

	}

	/**
	 * What an invalid value does.
	 */
	public enum OnInvalid {

		/**
		 * Stop the start with a report of every invalid value.
		 */
		FAIL,

		/**
		 * Replace each invalid value with its default and log a warning.
		 */
		DEFAULT

	}

}
