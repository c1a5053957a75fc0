package io.mycelium.python;

import io.mycelium.api.MyceliumException;

/**
 * A Python exception that reached Java: carries the Python exception type, its message and the formatted Python
 * traceback, so a failure in a Python service can be logged and diagnosed on the Java side.
 *
 * <p>{@code sys.exit(n)} in Python code called from Java arrives as type {@code SystemExit} with message {@code n};
 * it never ends the JVM.
 */
public class PythonServiceException extends MyceliumException {

    private static final long serialVersionUID = 1L;

    private final String pythonType;
    private final String pythonMessage;
    private final String pythonTraceback;

    /**
     * Creates the exception (called by the native bridge).
     *
     * @param pythonType      the qualified Python type name, for example {@code ValueError} or
     *                        {@code json.decoder.JSONDecodeError}
     * @param pythonMessage   {@code str(exception)}
     * @param pythonTraceback the output of {@code traceback.format_exception}, ending with the type and message line
     */
    public PythonServiceException(final String pythonType, final String pythonMessage, final String pythonTraceback) {
        super(pythonType + ": " + pythonMessage + System.lineSeparator() + pythonTraceback);
        this.pythonType = pythonType;
        this.pythonMessage = pythonMessage;
        this.pythonTraceback = pythonTraceback;
    }

    /** @return the qualified Python exception type name, for example {@code ValueError} */
    public String pythonType() {
        return pythonType;
    }

    /** @return {@code str(exception)} */
    public String pythonMessage() {
        return pythonMessage;
    }

    /** @return the formatted Python traceback */
    public String pythonTraceback() {
        return pythonTraceback;
    }
}
