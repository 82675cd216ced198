package dev.twelvefactor.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties of the twelvefactor starter. Each can also be set through its
 * canonical environment variable ({@code TWELVEFACTOR_WORKERS}) and, where Gunicorn has one,
 * through its conventional variable ({@code WEB_CONCURRENCY}).
 * <p>
 * Values are validated, with the names the user wrote, before this class is bound; invalid
 * fields are therefore ignored here rather than failing the bind a second time.
 *
 * @author twelvefactor
 */
@ConfigurationProperties(prefix = "twelvefactor", ignoreInvalidFields = true)
public class TwelveFactorProperties {

	/**
	 * Address and port to listen on, as host:port, [ipv6]:port or :port. The PORT
	 * environment variable sets the port on all IPv4 interfaces when this is not set.
	 */
	private String bind = "0.0.0.0:8000";

	/**
	 * Number of workers, as Gunicorn's WEB_CONCURRENCY: Tomcat runs workers x threads
	 * request threads. Defaults to max(3, 2 x cores + 1) with the cores the JVM sees.
	 */
	private @Nullable Integer workers;

	/**
	 * Request threads per worker, as Gunicorn's threads setting.
	 */
	private int threads = 1;

	/**
	 * Request deadline, as Gunicorn's timeout (GUNICORN_TIMEOUT). A request still running
	 * after it gets a 503 and its thread is interrupted. Also the connection timeout. A
	 * bare number means seconds; 0 turns the deadline off.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeout = Duration.ofSeconds(60);

	/**
	 * Time in-flight requests get to finish on shutdown. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration gracefulTimeout = Duration.ofSeconds(30);

	/**
	 * Time to wait for the next request on a kept-alive connection. Defaults to Tomcat's,
	 * the connection timeout. A bare number means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration keepAlive;

	/**
	 * Maximum queue length for incoming connections when all request threads are busy.
	 * Defaults to Tomcat's accept count, 100.
	 */
	private @Nullable Integer backlog;

	/**
	 * Root log level (LOG_LEVEL): trace, debug, info, warn (or warning), error (or
	 * critical) or off, in any case.
	 */
	private String logLevel = "info";

	/**
	 * Access log target: '-' or 'stdout' for standard output, 'off' for none, anything
	 * else a file path that is appended to.
	 */
	private String accessLog = "-";

	/**
	 * Access log line format: 'combined' (Gunicorn's default), 'common', 'json', 'ecs'
	 * (Elastic Common Schema), or a Tomcat access log pattern.
	 */
	private String accessLogFormat = "combined";

	/**
	 * Regular expression on the request path of requests not to access-log, unless their
	 * status is 400 or above.
	 */
	private @Nullable String accessLogExclude;

	/**
	 * Names of the query parameters whose values the access log masks, separated by
	 * commas, or 'none'. Authorization, Proxy-Authorization, Cookie and Set-Cookie values
	 * are never logged.
	 */
	private String accessLogMask = "access_token,api_key,apikey,auth,client_secret,id_token,jwt,key,passwd,password,"
			+ "pwd,refresh_token,secret,sig,signature,token,x-amz-credential,x-amz-security-token,x-amz-signature,"
			+ "x-goog-credential,x-goog-signature";

	/**
	 * Where the application's console log goes: '-' or 'stderr' for standard error,
	 * 'stdout' for standard output.
	 */
	private String errorLog = "-";

	/**
	 * HTTPS from PEM files.
	 */
	private final Ssl ssl = new Ssl();

	/**
	 * What an invalid value does: 'fail' stops the start with a report of every invalid
	 * value, 'default' replaces each with its default and logs a warning.
	 */
	private OnInvalid onInvalid = OnInvalid.FAIL;

	/**
	 * Whether to validate the configuration, print the startup report and exit, without
	 * opening a port.
	 */
	private boolean check;

	public String getBind() {
		return this.bind;
	}

	public void setBind(String bind) {
		this.bind = bind;
	}

	public @Nullable Integer getWorkers() {
		return this.workers;
	}

	public void setWorkers(@Nullable Integer workers) {
		this.workers = workers;
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

	public @Nullable Duration getKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(@Nullable Duration keepAlive) {
		this.keepAlive = keepAlive;
	}

	public @Nullable Integer getBacklog() {
		return this.backlog;
	}

	public void setBacklog(@Nullable Integer backlog) {
		this.backlog = backlog;
	}

	public String getLogLevel() {
		return this.logLevel;
	}

	public void setLogLevel(String logLevel) {
		this.logLevel = logLevel;
	}

	public String getAccessLog() {
		return this.accessLog;
	}

	public void setAccessLog(String accessLog) {
		this.accessLog = accessLog;
	}

	public String getAccessLogFormat() {
		return this.accessLogFormat;
	}

	public void setAccessLogFormat(String accessLogFormat) {
		this.accessLogFormat = accessLogFormat;
	}

	public @Nullable String getAccessLogExclude() {
		return this.accessLogExclude;
	}

	public void setAccessLogExclude(@Nullable String accessLogExclude) {
		this.accessLogExclude = accessLogExclude;
	}

	public String getAccessLogMask() {
		return this.accessLogMask;
	}

	public void setAccessLogMask(String accessLogMask) {
		this.accessLogMask = accessLogMask;
	}

	public String getErrorLog() {
		return this.errorLog;
	}

	public void setErrorLog(String errorLog) {
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

	/**
	 * HTTPS settings.
	 */
	public static class Ssl {

		/**
		 * Path of the PEM certificate, or certificate chain, to serve (SSL_CERTFILE).
		 */
		private @Nullable String certfile;

		/**
		 * Path of the PEM private key of the certificate (SSL_KEYFILE).
		 */
		private @Nullable String keyfile;

		/**
		 * Path of PEM CA certificates that client certificates must chain to
		 * (SSL_CA_CERTS). Setting it makes client certificates required.
		 */
		private @Nullable String caCerts;

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
