package io.mycelium.console.impl.security;

import io.mycelium.logging.LogLimiter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console's login check with a brake: it wraps the console's own security provider (Web Console 5
 * registers its user/password check, configured by the launcher from {@code etc/console.password} or
 * {@code MYCELIUM_CONSOLE_PASSWORD}, as a {@link SecurityProvider} of the lowest ranking), ranks above it, and asks
 * it for every request; a request that carried credentials and was refused is a failed login. Failed logins are
 * logged at WARN naming the client address and the user name (never the password), at most once per
 * {@value #LOG_SECONDS} s with the count of lines left out, and slowed down per client address by a
 * {@link LoginThrottle}: after {@value #FREE_FAILURES} failures in a row each further attempt waits twice as long,
 * from {@value #BASE_DELAY_MILLIS} ms up to {@value #MAX_DELAY_MILLIS} ms; an attempt that would wait longer, or
 * while {@value #MAX_WAITING} requests already wait, is answered 429 Too Many Requests (with Retry-After) without
 * its password being checked. A successful login clears its address.
 *
 * <p>Thread-safe: called on the HTTP server's request threads; a delayed attempt sleeps on its own thread.
 */
@Component(service = SecurityProvider.class, property = {
        Constants.SERVICE_RANKING + ":Integer=1000",
        ThrottledSecurityProvider.MARKER + ":Boolean=true"})
public final class ThrottledSecurityProvider implements SecurityProvider {

    /** Service property marking this provider, so that it never wraps itself. */
    static final String MARKER = "mycelium.console.login.throttle";
    static final int FREE_FAILURES = 5;
    static final long BASE_DELAY_MILLIS = 250;
    static final long MAX_DELAY_MILLIS = 10_000;
    static final int MAX_WAITING = 16;
    static final int MAX_ADDRESSES = 4096;
    static final long LOG_SECONDS = 10;
    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_USER_LENGTH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ThrottledSecurityProvider.class);

    private final SecurityProvider delegate;
    private final LoginThrottle throttle;
    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final LogLimiter failures = new LogLimiter(Duration.ofSeconds(LOG_SECONDS));

    /**
     * @param delegate the console's own check (the highest ranked provider other than this one)
     */
    @Activate
    public ThrottledSecurityProvider(@Reference(name = "delegate", target = "(!(" + MARKER + "=true))")
                                     final SecurityProvider delegate) {
        this(delegate, new LoginThrottle(FREE_FAILURES, Duration.ofMillis(BASE_DELAY_MILLIS),
                Duration.ofMillis(MAX_DELAY_MILLIS), FORGET_AFTER, MAX_ADDRESSES, System::nanoTime));
    }

    ThrottledSecurityProvider(final SecurityProvider delegate, final LoginThrottle throttle) {
        this.delegate = delegate;
        this.throttle = throttle;
    }

    @Override
    public Object authenticate(final HttpServletRequest request, final HttpServletResponse response) {
        final String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return delegate.authenticate(request, response); // no credentials yet: the challenge, not an attempt
        }
        final String address = request.getRemoteAddr();
        final String user = userOf(authorization);
        final long wait = throttle.reserve(address);
        if (wait == LoginThrottle.REFUSED || wait > 0 && !waiting.tryAcquire()) {
            refuse(address, user, response);
            return null;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping: answer at once
            } finally {
                waiting.release();
            }
        }
        final Object result = delegate.authenticate(request, response);
        if (result != null) {
            throttle.succeeded(address);
            return result;
        }
        final int count = throttle.failed(address);
        final long suppressed = failures.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            final long next = throttle.waitMillis(address);
            LOG.warn("Web Console: failed login for user '{}' from {} ({} in a row from this address{}){}", user,
                    address, count, next > 0 ? "; its next attempt waits " + next + " ms" : "",
                    failures.summary(suppressed));
        }
        return null;
    }

    @Override
    public boolean authorize(final Object user, final String role) {
        return delegate.authorize(user, role);
    }

    @Override
    public void logout(final HttpServletRequest request, final HttpServletResponse response) {
        delegate.logout(request, response);
    }

    private void refuse(final String address, final String user, final HttpServletResponse response) {
        final long retryAfter = Math.max(1, (throttle.waitMillis(address) + 999) / 1000);
        final long suppressed = failures.tryAcquire();
        if (suppressed != LogLimiter.SUPPRESSED) {
            LOG.warn("Web Console: login attempt for user '{}' from {} refused unchecked: too many failed logins"
                    + " from this address (retry after {} s){}", user, address, retryAfter,
                    failures.summary(suppressed));
        }
        try {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(retryAfter));
            response.setContentLength(0);
            response.flushBuffer();
        } catch (final IOException e) {
            LOG.debug("Web Console: cannot answer a refused login attempt from {}", address, e);
        }
    }

    /**
     * @param authorization an {@code Authorization} header
     * @return the user name of Basic credentials, printable and short (it goes into the log), never the password
     */
    static String userOf(final String authorization) {
        final String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "(" + value.split(" ", 2)[0].replaceAll("[^A-Za-z0-9-]", "?") + " credentials)";
        }
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return "(undecodable)";
        }
        final int colon = decoded.indexOf(':');
        final String user = colon < 0 ? decoded : decoded.substring(0, colon);
        final StringBuilder printable = new StringBuilder();
        user.codePoints().limit(MAX_USER_LENGTH).forEach(c -> printable.appendCodePoint(
                Character.isISOControl(c) || c == '\'' ? '?' : c));
        return user.length() > MAX_USER_LENGTH ? printable + "…" : printable.toString();
    }
}
